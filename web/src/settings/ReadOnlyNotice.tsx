import type { ReactNode } from 'react';

/** Says why the controls of a screen are read-only for the caller (their role), instead of dead buttons. */
export function ReadOnlyNotice({ children }: { children: ReactNode }) {
  return (
    <div className="notice info" role="note">
      {children}
    </div>
  );
}
