import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useCreateWorkspace, useSetArchived, useWorkspaceList } from '../../api/workspaces.js';
import { wsUrl } from '../../app/workspace.js';
import { Badge } from '../../ui/badges.js';
import { fieldError } from '../../ui/errors.js';
import { ErrorNotice, Loading, SuccessNotice } from '../../ui/feedback.js';
import { formatTime } from '../../ui/format.js';

/** Server administrators: every workspace (archived too), archive/unarchive, and create a new one. */
export function AllWorkspaces() {
  const list = useWorkspaceList({ all: true, archived: true });
  const archive = useSetArchived();
  const create = useCreateWorkspace();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { id, name },
      {
        onSuccess: (ws) => {
          setCreated(ws.id);
          setId('');
          setName('');
        },
      },
    );
  };
  return (
    <section className="card stack" aria-labelledby="all-ws-title">
      <h2 id="all-ws-title">All workspaces (administrators)</h2>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <table className="grid" aria-label="All workspaces">
          <thead>
            <tr>
              <th>Workspace</th>
              <th>State</th>
              <th>Your roles</th>
              <th>Created</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((ws) => (
              <tr key={ws.id}>
                <td>
                  {ws.roles.length > 0 ? (
                    <Link to={wsUrl(ws.id, '/settings/workspace')}>{ws.name}</Link>
                  ) : (
                    <strong>{ws.name}</strong>
                  )}
                  <div className="cell-sub">{ws.id}</div>
                </td>
                <td>{ws.archived ? <Badge tone="warn">Archived</Badge> : <Badge tone="ok">Active</Badge>}</td>
                <td>{ws.roles.join(', ') || <span className="muted">none</span>}</td>
                <td className="num">{formatTime(ws.createdAt)}</td>
                <td>
                  <div className="cell-actions">
                    <button
                      type="button"
                      className={ws.archived ? 'small' : 'small danger'}
                      disabled={archive.isPending}
                      onClick={() => archive.mutate({ workspace: ws.id, archived: !ws.archived })}
                    >
                      {ws.archived ? 'Unarchive' : 'Archive'}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNotice error={archive.error} what="workspace" />
      <p className="muted" style={{ margin: 0 }}>
        Archiving keeps a workspace readable for its members but refuses every change, and takes it out of the lists.
      </p>
      <form className="stack" onSubmit={submit} aria-labelledby="new-ws-title">
        <h3 id="new-ws-title">Create a workspace</h3>
        <div className="row wrap" style={{ alignItems: 'flex-start', gap: 16 }}>
          <label className="field">
            Id
            <span className="hint">Lower-case letters, digits, dashes</span>
            <input
              value={id}
              onChange={(e) => setId(e.target.value)}
              required
              pattern="[a-z0-9][a-z0-9\-]{1,62}"
              placeholder="contoso-soc"
            />
            {fieldError(create.error, 'id') && <span className="field-error">{fieldError(create.error, 'id')}</span>}
          </label>
          <label className="field" style={{ flex: 1, maxWidth: 360 }}>
            Name
            <span className="hint">As people see it</span>
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="Contoso SOC" />
            {fieldError(create.error, 'name') && <span className="field-error">{fieldError(create.error, 'name')}</span>}
          </label>
        </div>
        <ErrorNotice error={create.error} what="workspace" />
        {created && (
          <SuccessNotice>
            Workspace {created} created; you are its Owner. <Link to={wsUrl(created, '/settings/members')}>Add its members</Link>
          </SuccessNotice>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={create.isPending}>
            Create workspace
          </button>
        </div>
      </form>
    </section>
  );
}
