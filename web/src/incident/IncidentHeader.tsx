import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { SEVERITIES } from '../../../src/common/enums.js';
import type { IncidentChanges } from '../api/incidents.js';
import type { Incident } from '../api/types.js';
import { wsUrl } from '../app/workspace.js';
import { SeverityBadge, StatusBadge } from '../ui/badges.js';
import { formatTime, timeAgo, words } from '../ui/format.js';
import { CloseDialog } from './CloseDialog.js';
import { ExportButton } from './ExportButton.js';
import { OwnerPicker } from './OwnerPicker.js';
import { RunPlaybookDialog } from './RunPlaybookDialog.js';
import { TagEditor } from './TagEditor.js';
import { TitleEditor } from './TitleEditor.js';
import { UpdateError } from './UpdateError.js';

/** What the caller may do here, with the reason shown on what they may not. */
export interface IncidentPermissions {
  write: boolean;
  runPlaybooks: boolean;
  readPlaybooks: boolean;
  writeRules: boolean;
}

const READ_ONLY = 'Your role in this workspace can read incidents but not change them';

/**
 * The incident's header: number and title, the actions (run a playbook, make an automation rule,
 * export, close or re-open), and the properties people change (severity, status, owner, tags).
 */
export function IncidentHeader({
  workspace,
  incident,
  me,
  can,
  edit,
  saving,
  error,
  onDismissError,
}: {
  workspace: string;
  incident: Incident;
  me: { id: string; name: string };
  can: IncidentPermissions;
  edit: (changes: IncidentChanges, done?: () => void) => void;
  saving: boolean;
  error: unknown;
  onDismissError: () => void;
}) {
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<'close' | 'run' | null>(null);
  const closed = incident.status === 'Closed';
  return (
    <header className="incident-header card">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to={wsUrl(workspace, '/incidents')}>Incidents</Link> <span aria-hidden="true">›</span> Incident #{incident.number}
      </nav>
      <div className="row wrap header-top">
        <TitleEditor
          number={incident.number}
          title={incident.title}
          canEdit={can.write}
          readOnlyReason={READ_ONLY}
          saving={saving}
          onSave={(title, done) => edit({ title }, done)}
        />
        <span className="spacer" />
        <div className="row wrap incident-actions">
          {can.readPlaybooks && (
            <button
              type="button"
              onClick={() => setDialog('run')}
              disabled={!can.runPlaybooks}
              title={can.runPlaybooks ? 'Run a playbook on this incident now' : 'Your role cannot run playbooks'}
            >
              Run playbook
            </button>
          )}
          <button
            type="button"
            onClick={() => navigate(wsUrl(workspace, `/automation/new?fromIncident=${incident.number}`))}
            disabled={!can.writeRules}
            title={
              can.writeRules
                ? 'A rule pre-filled from this incident (its analytics rules and entities)'
                : 'Your role cannot create automation rules'
            }
          >
            Create automation rule
          </button>
          <ExportButton workspace={workspace} number={incident.number} />
          {closed ? (
            <button
              type="button"
              onClick={() => edit({ status: 'Active' })}
              disabled={!can.write || saving}
              title={can.write ? undefined : READ_ONLY}
            >
              Re-open
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              onClick={() => setDialog('close')}
              disabled={!can.write}
              title={can.write ? undefined : READ_ONLY}
            >
              Close incident
            </button>
          )}
        </div>
      </div>
      <UpdateError error={error} workspace={workspace} number={incident.number} onDismiss={onDismissError} />
      <dl className="incident-props">
        <div>
          <dt>
            <label htmlFor="incident-severity">Severity</label>
          </dt>
          <dd>
            {can.write ? (
              <select
                id="incident-severity"
                className={`sev-select sev-${incident.severity}`}
                value={incident.severity}
                disabled={saving}
                onChange={(event) => edit({ severity: event.target.value as Incident['severity'] })}
              >
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            ) : (
              <SeverityBadge severity={incident.severity} />
            )}
          </dd>
        </div>
        <div>
          <dt>
            <label htmlFor="incident-status">Status</label>
          </dt>
          <dd>
            {can.write ? (
              <select
                id="incident-status"
                value={incident.status}
                disabled={saving}
                onChange={(event) => {
                  const status = event.target.value as Incident['status'];
                  if (status === 'Closed') setDialog('close');
                  else edit({ status });
                }}
              >
                <option value="New">New</option>
                <option value="Active">Active</option>
                <option value="Closed">Closed</option>
              </select>
            ) : (
              <StatusBadge status={incident.status} />
            )}
          </dd>
        </div>
        <div className="owner-prop">
          <dt>Owner</dt>
          <dd>
            <OwnerPicker
              workspace={workspace}
              owner={incident.owner}
              me={me}
              canEdit={can.write}
              readOnlyReason={READ_ONLY}
              onChange={(owner) => edit({ owner })}
            />
          </dd>
        </div>
        <div>
          <dt>Classification</dt>
          <dd>
            {incident.classification ? (
              <span title={incident.classificationComment ?? undefined}>
                {words(incident.classification)}
                {incident.classificationReason && <span className="muted"> — {words(incident.classificationReason)}</span>}
                {incident.determination && <span className="muted"> · {words(incident.determination)}</span>}
              </span>
            ) : (
              <span className="muted">Not classified</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd title={formatTime(incident.createdAt)}>{timeAgo(incident.createdAt)}</dd>
        </div>
        <div>
          <dt>Last update</dt>
          <dd title={formatTime(incident.updatedAt)}>{timeAgo(incident.updatedAt)}</dd>
        </div>
      </dl>
      {closed && incident.classificationComment && (
        <p className="resolution-note">
          <strong>Resolution note:</strong> {incident.classificationComment}
        </p>
      )}
      <div className="row tags-row">
        <span className="prop-label">Tags</span>
        <TagEditor
          workspace={workspace}
          tags={incident.tags}
          systemTags={incident.systemTags}
          canEdit={can.write}
          onAdd={(tag) => edit({ addTags: [tag] })}
          onRemove={(tag) => edit({ removeTags: [tag] })}
        />
      </div>
      {dialog === 'close' && <CloseDialog workspace={workspace} incident={incident} onClose={() => setDialog(null)} />}
      {dialog === 'run' && <RunPlaybookDialog workspace={workspace} number={incident.number} onClose={() => setDialog(null)} />}
      <span className="visually-hidden" role="status">
        {saving ? 'Saving…' : ''}
      </span>
    </header>
  );
}
