import { Link } from 'react-router-dom';
import { useWorkspaceActivity, type AuditFilter } from '../../api/activity.js';
import type { ActivityEntry } from '../../api/types.js';
import { useWorkspaceId, wsUrl } from '../../app/workspace.js';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback.js';
import { actorLabel, formatTime } from '../../ui/format.js';
import { actionText, changeText } from '../../incident/change-text.js';
import { SelectField } from '../../ui/SelectField.js';
import { useSearchParam } from '../../ui/search-params.js';
import { SettingsBody } from '../SettingsLayout.js';

/** Who made the changes: the "Automation" choice is Sentinel's `ModifiedBy contains "Automation"`. */
const ACTORS: { value: string; label: string; types: string[] }[] = [
  { value: '', label: 'Anyone', types: [] },
  { value: 'automation', label: 'Automation (rules and playbooks)', types: ['automationRule', 'playbook'] },
  { value: 'automationRule', label: 'Automation rules', types: ['automationRule'] },
  { value: 'playbook', label: 'Playbooks', types: ['playbook'] },
  { value: 'user', label: 'People', types: ['user'] },
  { value: 'system', label: 'Vigil (alerts, grouping)', types: ['system'] },
];

const KINDS = [
  { value: '', label: 'Changes and comments' },
  { value: 'changes', label: 'Changes' },
  { value: 'comments', label: 'Comments' },
];

const FIELDS: { value: string; label: string }[] = [
  { value: '', label: 'Any field' },
  { value: 'status', label: 'Status' },
  { value: 'severity', label: 'Severity' },
  { value: 'owner', label: 'Owner' },
  { value: 'classification', label: 'Classification' },
  { value: 'tags', label: 'Tags' },
  { value: 'title', label: 'Title' },
  { value: 'task', label: 'Tasks' },
  { value: 'alerts', label: 'Alerts' },
  { value: 'action', label: 'Failed automation actions' },
];

/** The start of a local calendar day (from a date input) as an ISO time, or undefined. */
const dayStart = (day: string | null, plusDays = 0): string | undefined => {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
};

/** The filters as the URL holds them, so a filtered audit log can be bookmarked or shared. */
function filterFrom(params: URLSearchParams): AuditFilter {
  const actor = ACTORS.find((a) => a.value === params.get('actor'));
  const kind = params.get('kind');
  return {
    actorType: actor?.types.length ? actor.types : undefined,
    kind: kind === 'changes' || kind === 'comments' ? kind : undefined,
    field: params.get('field') || undefined,
    since: dayStart(params.get('from')),
    until: dayStart(params.get('to'), 1),
  };
}

/** Who made the change, linked to the rule or playbook when automation did. */
function ActorCell({ workspace, entry }: { workspace: string; entry: ActivityEntry }) {
  const { actor } = entry;
  if (actor.type === 'automationRule') return <Link to={wsUrl(workspace, `/automation/${actor.id}`)}>{actorLabel(actor)}</Link>;
  if (actor.type === 'playbook') return <Link to={wsUrl(workspace, `/playbooks/${actor.id}`)}>{actorLabel(actor)}</Link>;
  return <>{actorLabel(actor)}</>;
}

/** What the entry says: the action, then its field-level changes (or the comment's first line). */
function WhatCell({ entry }: { entry: ActivityEntry }) {
  const comment = entry.action === 'commentAdded' ? entry.comment?.message : null;
  return (
    <>
      <span className="muted">{actionText(entry)}</span>
      {comment ? (
        <div className="audit-comment">{comment.length > 160 ? `${comment.slice(0, 157)}…` : comment}</div>
      ) : (
        entry.changes.length > 0 &&
        entry.action !== 'commentEdited' &&
        entry.action !== 'commentDeleted' && (
          <ul className="audit-changes">
            {entry.changes.map((change, i) => (
              <li key={i}>{changeText(change)}</li>
            ))}
          </ul>
        )
      )}
    </>
  );
}

/**
 * The workspace's audit log: every change to every incident, newest first, filtered by who made it
 * (people, automation rules, playbooks, Vigil), entry kind, field and day range.
 */
export function AuditLogPage() {
  const workspace = useWorkspaceId();
  const [params, set, clear] = useSearchParam();
  const activity = useWorkspaceActivity(workspace, filterFrom(params));
  const entries = activity.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = ['actor', 'kind', 'field', 'from', 'to'].some((name) => params.get(name));
  return (
    <SettingsBody intro="Every change to this workspace's incidents and who made it — a person, an automation rule, a playbook or Vigil itself — newest first. The filters are in the address, so a view can be shared.">
      <div className="toolbar audit-filters" role="search" aria-label="Audit log filters">
        <SelectField label="Changed by" value={params.get('actor') ?? ''} choices={ACTORS} onChange={(v) => set('actor', v)} />
        <SelectField label="Entries" value={params.get('kind') ?? ''} choices={KINDS} onChange={(v) => set('kind', v)} />
        <SelectField label="Field" value={params.get('field') ?? ''} choices={FIELDS} onChange={(v) => set('field', v)} />
        <label className="field">
          From
          <input type="date" value={params.get('from') ?? ''} onChange={(e) => set('from', e.target.value)} />
        </label>
        <label className="field">
          To
          <input type="date" value={params.get('to') ?? ''} onChange={(e) => set('to', e.target.value)} />
        </label>
        {filtered && (
          <button type="button" className="small" onClick={clear}>
            Clear filters
          </button>
        )}
      </div>
      {activity.isPending && <Loading label="Loading the audit log…" />}
      <ErrorNotice error={activity.error} what="audit log" onRetry={() => void activity.refetch()} />
      {activity.data && entries.length === 0 && (
        <EmptyState title={filtered ? 'No entries match these filters' : 'No activity yet'}>
          {filtered ? 'Widen the day range or choose "Anyone".' : 'Changes to incidents appear here as they happen.'}
        </EmptyState>
      )}
      {entries.length > 0 && (
        <div className="table-scroll">
          <table className="grid audit-table" aria-label="Audit log">
            <thead>
              <tr>
                <th>When</th>
                <th>Incident</th>
                <th>Changed by</th>
                <th>What</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-entry={entry.id}>
                  <td className="nowrap">{formatTime(entry.createdAt)}</td>
                  <td className="nowrap">
                    <Link to={wsUrl(workspace, `/incidents/${entry.incidentNumber}`)}>#{entry.incidentNumber}</Link>
                  </td>
                  <td className="nowrap">
                    <ActorCell workspace={workspace} entry={entry} />
                  </td>
                  <td>
                    <WhatCell entry={entry} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {activity.hasNextPage && (
        <button type="button" onClick={() => void activity.fetchNextPage()} disabled={activity.isFetchingNextPage}>
          {activity.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </SettingsBody>
  );
}
