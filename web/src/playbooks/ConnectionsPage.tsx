import { useState } from 'react';
import { useActionCatalog } from '../api/actions.js';
import { useConnections, useDeleteConnection, useTestConnection, type Connection } from '../api/connections.js';
import { can, useMe } from '../api/session.js';
import { PageHeader } from '../app/Layout.js';
import { useWorkspaceId } from '../app/workspace.js';
import { Badge } from '../ui/badges.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { formatTime, timeAgo } from '../ui/format.js';
import { ConnectionForm } from './ConnectionForm.js';
import './playbooks.css';

const STATUS_TONE = { connected: 'ok', error: 'bad', untested: 'neutral' } as const;

/** /w/:ws/connections — the workspace's connections with their last test; create, edit, test, delete. */
export function ConnectionsPage() {
  const workspace = useWorkspaceId();
  const me = useMe();
  const list = useConnections(workspace);
  const catalog = useActionCatalog();
  const [editing, setEditing] = useState<Connection | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Connection | null>(null);
  const mayWrite = can(me.data, workspace, 'playbooks.write');
  const connectors = catalog.data?.connectors ?? [];
  const titleOf = (id: string) => connectors.find((c) => c.id === id)?.title ?? id;
  return (
    <>
      <PageHeader title="Connections">
        {mayWrite ? (
          <button type="button" className="primary" disabled={!catalog.data} onClick={() => setEditing('new')}>
            + New connection
          </button>
        ) : (
          <span className="muted">Playbook contributors manage connections.</span>
        )}
      </PageHeader>
      <div className="page-body stack">
        <p className="muted intro">
          A connection is one account of a service (VirusTotal, Slack, an identity provider, any HTTP API) that playbooks use by
          name. Secrets are encrypted and never shown again.
        </p>
        <ErrorNotice error={catalog.error} onRetry={() => void catalog.refetch()} />
        {list.isPending ? (
          <Loading label="Loading connections…" />
        ) : list.error ? (
          <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <EmptyState title="No connections yet">
            Add one with "New connection", then name it under <code>connections:</code> in a playbook.
          </EmptyState>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th>Name</th>
                <th>Connector</th>
                <th>Status</th>
                <th>Last tested</th>
                <th>Secrets set</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <ConnectionRow
                  key={c.id}
                  workspace={workspace}
                  connection={c}
                  connectorTitle={titleOf(c.connector)}
                  mayWrite={mayWrite}
                  onEdit={catalog.data ? () => setEditing(c) : undefined}
                  onDelete={() => setDeleting(c)}
                />
              ))}
            </tbody>
          </table>
        )}
      </div>
      {editing && catalog.data && (
        <ConnectionForm
          workspace={workspace}
          connectors={catalog.data.connectors}
          connection={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
      {deleting && <DeleteConnectionDialog workspace={workspace} connection={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}

function ConnectionRow({
  workspace,
  connection: c,
  connectorTitle,
  mayWrite,
  onEdit,
  onDelete,
}: {
  workspace: string;
  connection: Connection;
  connectorTitle: string;
  mayWrite: boolean;
  onEdit?: () => void;
  onDelete: () => void;
}) {
  const test = useTestConnection(workspace);
  return (
    <tr>
      <td>
        <strong>{c.name}</strong>
        {c.description && <div className="muted clamp">{c.description}</div>}
      </td>
      <td>
        {connectorTitle} <span className="muted mono">{c.connector}</span>
      </td>
      <td className="status-cell">
        <Badge tone={STATUS_TONE[c.status]}>
          {c.status === 'connected' ? 'Connected' : c.status === 'error' ? 'Error' : 'Untested'}
        </Badge>
        {c.statusMessage && <div className={c.status === 'error' ? 'field-error' : 'muted'}>{c.statusMessage}</div>}
        <ErrorNotice error={test.error} what="connection" />
      </td>
      <td title={formatTime(c.checkedAt)}>{c.checkedAt ? timeAgo(c.checkedAt) : 'Never'}</td>
      <td>{c.secrets.length ? c.secrets.join(', ') : <span className="muted">none</span>}</td>
      <td>
        {mayWrite && (
          <div className="row">
            <button
              type="button"
              className="small"
              disabled={test.isPending}
              onClick={() => test.mutate(c)}
              aria-label={`Test ${c.name}`}
            >
              {test.isPending ? 'Testing…' : 'Test'}
            </button>
            <button type="button" className="small" disabled={!onEdit} onClick={onEdit} aria-label={`Edit ${c.name}`}>
              Edit
            </button>
            <button type="button" className="small danger" onClick={onDelete} aria-label={`Delete ${c.name}`}>
              Delete
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}

function DeleteConnectionDialog({
  workspace,
  connection,
  onClose,
}: {
  workspace: string;
  connection: Connection;
  onClose: () => void;
}) {
  const remove = useDeleteConnection(workspace);
  return (
    <ConfirmDialog
      title={`Delete ${connection.name}?`}
      confirmLabel="Delete connection"
      pendingLabel="Delete connection"
      pending={remove.isPending}
      error={remove.error}
      what="connection"
      onClose={onClose}
      onConfirm={() => remove.mutate(connection, { onSuccess: onClose })}
    >
      <p>Its settings and secrets are deleted. Playbooks that name it can no longer be enabled until it is created again.</p>
    </ConfirmDialog>
  );
}
