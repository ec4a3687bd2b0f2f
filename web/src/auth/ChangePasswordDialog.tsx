import { useState } from 'react';
import { useChangePassword } from '../api/session.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNotice, SuccessNotice } from '../ui/feedback.js';
import { EMPTY_PASSWORD_DRAFT, NewPasswordFields, passwordsDiffer } from '../ui/NewPasswordFields.js';

/** Change your own password while signed in (your other sessions end). */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const change = useChangePassword();
  const [draft, setDraft] = useState(EMPTY_PASSWORD_DRAFT);
  const mismatch = passwordsDiffer(draft);
  return (
    <Dialog title="Change your password" onClose={onClose}>
      {change.isSuccess ? (
        <>
          <SuccessNotice>Your password was changed. Your other sessions have ended.</SuccessNotice>
          <div className="row">
            <span className="spacer" />
            <button type="button" className="primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            if (!mismatch) change.mutate({ currentPassword: draft.current, newPassword: draft.next });
          }}
        >
          <NewPasswordFields currentLabel="Current password" value={draft} onChange={setDraft} />
          <ErrorNotice error={change.error} />
          <div className="row">
            <span className="spacer" />
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={change.isPending || mismatch}>
              Change password
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
