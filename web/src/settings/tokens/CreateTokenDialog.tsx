import { useState, type FormEvent } from 'react';
import { ROLE_PERMISSIONS, ROLES } from '../../../../src/auth/permissions.js';
import { useCreateToken, type NewApiToken } from '../../api/tokens.js';
import type { Role } from '../../api/types.js';
import { Dialog } from '../../ui/Dialog.js';
import { fieldError } from '../../ui/errors.js';
import { ErrorNotice } from '../../ui/feedback.js';
import { formatTime } from '../../ui/format.js';
import { SecretOnceDialog } from '../../ui/SecretOnceDialog.js';
import { SelectField } from '../../ui/SelectField.js';

const EXPIRIES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
  { value: 'custom', label: 'On a date…' },
] as const;

function expiresAt(choice: string, date: string): string | undefined {
  if (choice === 'never') return undefined;
  if (choice === 'custom') return date ? new Date(`${date}T23:59:59`).toISOString() : undefined;
  return new Date(Date.now() + Number(choice) * 86_400_000).toISOString();
}

/** Creates an API token for this workspace; then shows its secret once. */
export function CreateTokenDialog({ workspace, myRoles, onClose }: { workspace: string; myRoles: Role[]; onClose: () => void }) {
  const mine = new Set(myRoles.flatMap((r) => ROLE_PERMISSIONS[r]));
  const allowed = (role: Role) => ROLE_PERMISSIONS[role].every((p) => mine.has(p));
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(allowed('Reader') ? 'Reader' : (ROLES.find(allowed) ?? 'Reader'));
  const [expiry, setExpiry] = useState('90');
  const [date, setDate] = useState('');
  const [created, setCreated] = useState<NewApiToken | null>(null);
  const create = useCreateToken();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, workspace, role, expiresAt: expiresAt(expiry, date) }, { onSuccess: setCreated });
  };
  if (created) {
    return (
      <SecretOnceDialog
        title="Your new API token"
        intro={
          <>
            <strong>{created.name}</strong> — {created.role} in {created.workspaceId}, expires {formatTime(created.expiresAt)}.
          </>
        }
        secret={{
          label: 'API token secret',
          value: created.token,
          warning:
            'This is the only time Vigil shows this token; it keeps only a hash. Send it as “Authorization: Bearer <token>”.',
        }}
        onClose={onClose}
      />
    );
  }
  return (
    <Dialog title="New API token" onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <label className="field">
          Name
          <span className="hint">What uses it, e.g. “edr-feed” or “nightly report”</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus />
          {fieldError(create.error, 'name') && <span className="field-error">{fieldError(create.error, 'name')}</span>}
        </label>
        <label className="field">
          Role in {workspace}
          <span className="hint">A token never carries more than you hold; Ingestor is for alert sources.</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r} disabled={!allowed(r)}>
                {r}
                {allowed(r) ? '' : ' (more than your roles allow)'}
              </option>
            ))}
          </select>
          {fieldError(create.error, 'role') && <span className="field-error">{fieldError(create.error, 'role')}</span>}
        </label>
        <div className="row wrap" style={{ alignItems: 'flex-end' }}>
          <SelectField label="Expires" value={expiry} choices={EXPIRIES} onChange={setExpiry} />
          {expiry === 'custom' && (
            <label className="field">
              Expiry date
              <input type="date" value={date} required onChange={(e) => setDate(e.target.value)} />
            </label>
          )}
        </div>
        {fieldError(create.error, 'expiresAt') && <span className="field-error">{fieldError(create.error, 'expiresAt')}</span>}
        <ErrorNotice error={create.error} what="token" />
        <div className="row">
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={create.isPending || !name.trim()}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
