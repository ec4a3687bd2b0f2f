import { useState, type FormEvent } from 'react';
import { useCreateUser, type UserWithPassword } from '../../api/users.js';
import { Dialog } from '../../ui/Dialog.js';
import { fieldError } from '../../ui/errors.js';
import { ErrorNotice } from '../../ui/feedback.js';
import { OneTimePasswordDialog } from './OneTimePasswordDialog.js';

/** Creates a user with a generated one-time password, then shows it once. */
export function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [created, setCreated] = useState<UserWithPassword | null>(null);
  const create = useCreateUser();
  if (created) return <OneTimePasswordDialog result={created} onClose={onClose} />;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ email, displayName, isAdmin }, { onSuccess: setCreated });
  };
  return (
    <Dialog title="New user" onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <label className="field">
          Email
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required maxLength={320} autoFocus />
          {fieldError(create.error, 'email') && <span className="field-error">{fieldError(create.error, 'email')}</span>}
        </label>
        <label className="field">
          Display name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} required maxLength={200} />
          {fieldError(create.error, 'displayName') && (
            <span className="field-error">{fieldError(create.error, 'displayName')}</span>
          )}
        </label>
        <label className="row">
          <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} />
          Server administrator (manages users, groups and workspaces)
        </label>
        <p className="muted" style={{ margin: 0 }}>
          Vigil generates a one-time password; the person chooses their own when they first sign in. Add them to workspaces on
          Members & roles.
        </p>
        <ErrorNotice error={create.error} what="user" />
        <div className="row">
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create user'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
