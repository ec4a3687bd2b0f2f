import type { ReactNode } from 'react';
import { Dialog } from './Dialog.js';
import { ErrorNotice } from './feedback.js';

/** Asks before a destructive change; shows the API's error in place if it fails. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  pending,
  pendingLabel = 'Working…',
  error,
  what,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  pending: boolean;
  /** The confirm button's text while the request runs. */
  pendingLabel?: string;
  error: unknown;
  /** What the request was about, to word its error (see describeError). */
  what?: string;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <div>{children}</div>
      <ErrorNotice error={error} what={what} />
      <div className="row">
        <span className="spacer" />
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={pending} onClick={onConfirm}>
          {pending ? pendingLabel : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
