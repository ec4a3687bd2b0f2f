import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useAnalyticsRulePages } from '../api/analytics-rules.js';
import { usePlaybookList } from '../api/playbooks.js';
import { can, useMe } from '../api/session.js';
import { PageHeader } from '../app/Layout.js';
import { useWorkspaceId, wsUrl } from '../app/workspace.js';
import { Badge, SeverityBadge } from '../ui/badges.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { timeAgo, formatTime } from '../ui/format.js';
import { groupingSummary } from './grouping.js';
import './automation.css';

/** /settings/analytics-rules: the detections whose alerts become incidents, with their grouping and automated response. */
export function AnalyticsRulesPage() {
  const workspace = useWorkspaceId();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  // The search applies a moment after typing stops, and lives in the address (shareable, kept on Back).
  useEffect(() => {
    if (typed.trim() === q) return;
    const timer = setTimeout(() => setParams(typed.trim() ? { q: typed.trim() } : {}, { replace: true }), 250);
    return () => clearTimeout(timer);
  }, [typed, q, setParams]);
  const rules = useAnalyticsRulePages(workspace, q);
  const playbooks = usePlaybookList(workspace, { trigger: 'alert' });
  const playbookName = (id: string) => playbooks.data?.items.find((p) => p.id === id)?.name ?? id;
  const canWrite = can(me.data, workspace, 'rules.write');
  const items = rules.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader title="Analytics rules">
        <Link className="button" to={wsUrl(workspace, '/settings')}>
          Settings
        </Link>
        {canWrite && (
          <Link className="button primary" to={wsUrl(workspace, '/settings/analytics-rules/new')}>
            + Create analytics rule
          </Link>
        )}
      </PageHeader>
      <div className="page-body">
        <p className="muted">
          Alerts name the detection that raised them; each analytics rule says how its alerts are grouped into incidents and which
          playbooks run on each alert. Rules an alert names for the first time are created automatically.
        </p>
        <div className="toolbar">
          <input
            type="search"
            aria-label="Search analytics rules"
            placeholder="Search by name…"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
          {rules.data && (
            <span className="muted" role="status">
              {items.length === 0 ? '' : `${items.length}${rules.hasNextPage ? '+' : ''} rule${items.length === 1 ? '' : 's'}`}
            </span>
          )}
        </div>
        {rules.isPending && <Loading />}
        <ErrorNotice error={rules.error} onRetry={() => void rules.refetch()} />
        {rules.data && items.length === 0 && q && (
          <EmptyState title={`No analytics rule matches “${q}”`}>Try part of the name.</EmptyState>
        )}
        {rules.data && items.length === 0 && !q && (
          <EmptyState title="No analytics rules yet">
            They appear when alerts name their detection (analyticsRuleName or analyticsRuleId), or create one to set its grouping
            first.
          </EmptyState>
        )}
        {items.length > 0 && (
          <table className="grid">
            <thead>
              <tr>
                <th>Name</th>
                <th>Severity</th>
                <th>Status</th>
                <th>Alert grouping</th>
                <th>Automated response</th>
                <th>Modified</th>
              </tr>
            </thead>
            <tbody>
              {items.map((rule) => (
                <tr key={rule.id}>
                  <td>
                    <Link to={wsUrl(workspace, `/settings/analytics-rules/${rule.id}`)}>{rule.name}</Link>
                    {rule.origin === 'implicit' && <span className="muted small-text"> · created from an alert</span>}
                  </td>
                  <td>
                    <SeverityBadge severity={rule.severity} />
                  </td>
                  <td>
                    {!rule.enabled ? (
                      <Badge>Disabled</Badge>
                    ) : rule.createsIncidents ? (
                      <Badge tone="ok">Enabled</Badge>
                    ) : (
                      <Badge tone="warn">Alerts only</Badge>
                    )}
                  </td>
                  <td>{groupingSummary(rule.grouping)}</td>
                  <td>
                    {rule.playbookIds.length ? (
                      rule.playbookIds.map(playbookName).join(', ')
                    ) : (
                      <span className="muted">None</span>
                    )}
                  </td>
                  <td className="num" title={formatTime(rule.updatedAt)}>
                    {timeAgo(rule.updatedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {rules.hasNextPage && (
          <button type="button" onClick={() => void rules.fetchNextPage()} disabled={rules.isFetchingNextPage}>
            {rules.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        )}
      </div>
    </>
  );
}
