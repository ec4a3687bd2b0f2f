import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError } from '../api/client.js';
import { useIncident, useUpdateIncident, type IncidentChanges } from '../api/incidents.js';
import { can, useMe } from '../api/session.js';
import { useWorkspaceId } from '../app/workspace.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { ActivityLog } from './ActivityLog.js';
import { AlertsCard } from './AlertsCard.js';
import { DescriptionCard } from './DescriptionCard.js';
import { EntitiesCard } from './EntitiesCard.js';
import { IncidentHeader, type IncidentPermissions } from './IncidentHeader.js';
import { PlaybookRunsCard } from './PlaybookRunsCard.js';
import { RunPlaybookDialog } from './RunPlaybookDialog.js';
import { TasksPanel } from './TasksPanel.js';
import './incident.css';

/** /w/:workspace/incidents/:number — one incident: header, description, alerts, entities, runs, activity, tasks. */
export function IncidentPage() {
  const workspace = useWorkspaceId();
  const number = Number(useParams().number);
  if (!Number.isInteger(number) || number < 1) {
    return <EmptyState title="There is no such incident">Incident numbers are whole numbers, such as /incidents/12.</EmptyState>;
  }
  return <IncidentScreen key={`${workspace}/${number}`} workspace={workspace} number={number} />;
}

function IncidentScreen({ workspace, number }: { workspace: string; number: number }) {
  const me = useMe();
  const incident = useIncident(workspace, number);
  const update = useUpdateIncident(workspace);
  const [running, setRunning] = useState(false);
  if (incident.isPending) return <Loading label={`Loading incident #${number}…`} />;
  if (incident.error) {
    if (incident.error instanceof ApiError && incident.error.status === 404) {
      return (
        <EmptyState title={`Incident #${number} does not exist in this workspace`}>
          It may have been deleted, or the link names another workspace.
        </EmptyState>
      );
    }
    return (
      <div className="page-body">
        <ErrorNotice error={incident.error} what="incident" onRetry={() => void incident.refetch()} />
      </div>
    );
  }
  const current = incident.data;
  const permissions: IncidentPermissions = {
    write: can(me.data, workspace, 'incidents.write'),
    runPlaybooks: can(me.data, workspace, 'playbooks.run'),
    readPlaybooks: can(me.data, workspace, 'playbooks.read'),
    writeRules: can(me.data, workspace, 'rules.write'),
  };
  const meRef = { id: me.data?.user.id ?? '', name: me.data?.user.displayName ?? '' };
  const edit = (changes: IncidentChanges, done?: () => void) =>
    update.mutate({ incident: current, changes }, { onSuccess: () => done?.() });
  return (
    <div className="incident-page page-body">
      <IncidentHeader
        workspace={workspace}
        incident={current}
        me={meRef}
        can={permissions}
        edit={edit}
        saving={update.isPending}
        error={update.error}
        onDismissError={() => update.reset()}
      />
      <div className="incident-columns">
        <div className="incident-main stack">
          <DescriptionCard workspace={workspace} incident={current} canEdit={permissions.write} />
          <AlertsCard workspace={workspace} number={number} />
          <EntitiesCard workspace={workspace} number={number} />
          {permissions.readPlaybooks && (
            <PlaybookRunsCard
              workspace={workspace}
              number={number}
              canRun={permissions.runPlaybooks}
              onRun={() => setRunning(true)}
            />
          )}
          <ActivityLog workspace={workspace} number={number} meId={meRef.id} canWrite={permissions.write} />
        </div>
        <TasksPanel workspace={workspace} number={number} meId={meRef.id} canWrite={permissions.write} />
      </div>
      {running && <RunPlaybookDialog workspace={workspace} number={number} onClose={() => setRunning(false)} />}
    </div>
  );
}
