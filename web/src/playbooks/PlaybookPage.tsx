import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { usePlaybook, type PlaybookDetail } from '../api/playbooks.js';
import { can, useMe } from '../api/session.js';
import { PageHeader } from '../app/Layout.js';
import { useWorkspaceId, wsUrl } from '../app/workspace.js';
import { ErrorNotice, Loading } from '../ui/feedback.js';
import { actorLabel, timeAgo, formatTime } from '../ui/format.js';
import { PlaybookEditor } from './PlaybookEditor.js';
import { EnabledToggle } from './EnabledToggle.js';
import { RunNowButton } from './RunNowButton.js';
import { RunTable } from './RunTable.js';
import { Tabs } from './Tabs.js';
import { TriggerLabel } from './TriggerLabel.js';
import { VersionsPanel } from './VersionsPanel.js';
import { WebhookUrl } from './WebhookUrl.js';
import './playbooks.css';

/** /w/:ws/playbooks/new — the editor with a starter playbook. */
export function NewPlaybookPage() {
  const workspace = useWorkspaceId();
  const me = useMe();
  const mayWrite = can(me.data, workspace, 'playbooks.write');
  return (
    <>
      <PageHeader title="New playbook">
        <Link to={wsUrl(workspace, '/playbooks')}>← All playbooks</Link>
      </PageHeader>
      <div className="page-body">
        {!mayWrite && (
          <div className="notice info">Your role cannot create playbooks; ask a Playbook contributor or an Owner.</div>
        )}
        <PlaybookEditor workspace={workspace} playbook={null} mayWrite={mayWrite} />
      </div>
    </>
  );
}

const TABS = [
  { id: 'definition', label: 'Definition' },
  { id: 'runs', label: 'Runs' },
  { id: 'versions', label: 'Versions' },
] as const;

/** /w/:ws/playbooks/:playbook — the playbook's editor and graph, its runs, its versions. */
export function PlaybookPage() {
  const workspace = useWorkspaceId();
  const { playbook: id = '' } = useParams();
  const playbook = usePlaybook(workspace, id);
  if (playbook.isPending) return <Loading label="Loading the playbook…" />;
  if (playbook.error) return <ErrorNotice error={playbook.error} what="playbook" onRetry={() => void playbook.refetch()} />;
  return <PlaybookScreen workspace={workspace} playbook={playbook.data} />;
}

function PlaybookScreen({ workspace, playbook }: { workspace: string; playbook: PlaybookDetail }) {
  const me = useMe();
  const location = useLocation();
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('definition');
  const mayWrite = can(me.data, workspace, 'playbooks.write');
  const navigate = useNavigate();
  // A webhook URL made at creation arrives once in the history state; forget it so a reload does not show it again.
  const [createdUrl] = useState((location.state as { webhookUrl?: string | null } | null)?.webhookUrl ?? null);
  useEffect(() => {
    if (location.state) navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);
  return (
    <>
      <PageHeader title={playbook.name}>
        <TriggerLabel trigger={playbook.trigger} schedule={playbook.schedule} />
        <span className="chip">v{playbook.version}</span>
        <EnabledToggle workspace={workspace} playbook={playbook} />
        {playbook.trigger === 'webhook' && (mayWrite || createdUrl) && (
          <WebhookUrl workspace={workspace} playbook={playbook.id} initialUrl={createdUrl} />
        )}
        <RunNowButton workspace={workspace} playbook={playbook} />
      </PageHeader>
      <div className="page-body stack">
        <div className="muted playbook-meta">
          {playbook.description && <span>{playbook.description} · </span>}
          Changed {timeAgo(playbook.updatedAt)} by {actorLabel(playbook.modifiedBy)}
          <span title={formatTime(playbook.createdAt)}> · created by {actorLabel(playbook.createdBy)}</span> ·{' '}
          <Link to={wsUrl(workspace, '/playbooks')}>All playbooks</Link>
        </div>
        <Tabs tabs={TABS} current={tab} onChange={setTab} label="Playbook" />
        <div role="tabpanel" aria-label={TABS.find((t) => t.id === tab)!.label}>
          {/* Kept mounted on the other tabs, so an unsaved edit is still there on coming back. */}
          <div hidden={tab !== 'definition'}>
            <PlaybookEditor key={playbook.id} workspace={workspace} playbook={playbook} mayWrite={mayWrite} />
          </div>
          {tab === 'runs' && <RunTable workspace={workspace} playbook={playbook.id} />}
          {tab === 'versions' && <VersionsPanel workspace={workspace} playbook={playbook} />}
        </div>
      </div>
    </>
  );
}
