import type { ReactNode } from 'react';
import { Dialog } from './Dialog.js';
import { OneTimeSecret } from './OneTimeSecret.js';

/** A dialog that shows a secret the API returns only once (token, password, signing secret), to copy, then Done. */
export function SecretOnceDialog({
  title,
  intro,
  secret,
  onClose,
}: {
  title: string;
  intro: ReactNode;
  secret: { label: string; value: string; warning: string } | null;
  onClose: () => void;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <p style={{ margin: 0 }}>{intro}</p>
      {secret && <OneTimeSecret label={secret.label} value={secret.value} warning={secret.warning} />}
      <div className="row">
        <span className="spacer" />
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
