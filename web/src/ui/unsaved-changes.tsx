import { useEffect, useRef, type ReactNode } from 'react';
import { useBlocker } from 'react-router-dom';
import { ConfirmDialog } from './ConfirmDialog.js';

/**
 * Asks before leaving a form with unsaved changes: a dialog for links and the back button inside
 * the app, the browser's own prompt for closing or reloading the tab. `release()` lets the next
 * navigation through (call it right before navigating away after a successful save).
 */
export function useUnsavedChangesGuard(dirty: boolean, what: string): { dialog: ReactNode; release: () => void } {
  const released = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && !released.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      if (released.current) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const dialog =
    blocker.state === 'blocked' ? (
      <ConfirmDialog
        title="Leave without saving?"
        confirmLabel="Discard changes"
        onConfirm={() => blocker.proceed()}
        onClose={() => blocker.reset()}
        pending={false}
        error={null}
      >
        Your changes to {what} are not saved. Leave and discard them, or cancel to keep editing.
      </ConfirmDialog>
    ) : null;
  return { dialog, release: () => (released.current = true) };
}
