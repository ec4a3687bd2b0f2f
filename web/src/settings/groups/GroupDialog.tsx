import { useState, type FormEvent } from 'react';
import { useCreateGroup, useUpdateGroup, type Group } from '../../api/groups.js';
import { Dialog } from '../../ui/Dialog.js';
import { fieldError } from '../../ui/errors.js';
import { ErrorNotice } from '../../ui/feedback.js';

/** Creates a group, or renames one (name and description). */
export function GroupDialog({ group, onClose }: { group?: Group; onClose: () => void }) {
  const [name, setName] = useState(group?.name ?? '');
  const [description, setDescription] = useState(group?.description ?? '');
  const create = useCreateGroup();
  const update = useUpdateGroup();
  const mutation = group ? update : create;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (group) update.mutate({ group, changes: { name, description } }, { onSuccess: onClose });
    else create.mutate({ name, description }, { onSuccess: onClose });
  };
  return (
    <Dialog title={group ? `Rename ${group.name}` : 'New group'} onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <label className="field">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus />
          {fieldError(mutation.error, 'name') && <span className="field-error">{fieldError(mutation.error, 'name')}</span>}
        </label>
        <label className="field">
          Description
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} maxLength={2000} />
          {fieldError(mutation.error, 'description') && (
            <span className="field-error">{fieldError(mutation.error, 'description')}</span>
          )}
        </label>
        <ErrorNotice error={mutation.error} what="group" />
        <div className="row">
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={mutation.isPending || !name.trim()}>
            {group ? 'Save' : 'Create group'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
