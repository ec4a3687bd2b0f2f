import { Fragment, useState } from 'react';
import { useIncidentAlerts, type Alert } from '../api/alerts.js';
import { SeverityBadge } from '../ui/badges.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { formatTime, words } from '../ui/format.js';

/** The incident's alerts: title, severity, product and time; a row opens to its details. */
export function AlertsCard({ workspace, number }: { workspace: string; number: number }) {
  const alerts = useIncidentAlerts(workspace, number);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  const items = alerts.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="alerts-heading">
      <div className="row card-head">
        <h2 id="alerts-heading">Alerts</h2>
        {alerts.data && <span className="badge neutral">{items.length}</span>}
      </div>
      {alerts.isPending && <Loading label="Loading alerts…" />}
      <ErrorNotice error={alerts.error} what="alert list" onRetry={() => void alerts.refetch()} />
      {alerts.data && items.length === 0 && (
        <EmptyState title="No alerts in this incident">
          It was created by hand; alerts added to it by grouping or moved here show up here.
        </EmptyState>
      )}
      {items.length > 0 && (
        <table className="grid alerts-table">
          <thead>
            <tr>
              <th scope="col" className="toggle-col">
                <span className="visually-hidden">Details</span>
              </th>
              <th scope="col">Title</th>
              <th scope="col">Severity</th>
              <th scope="col">Product</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {items.map((alert) => (
              <Fragment key={alert.id}>
                <tr className={open.has(alert.id) ? 'selected' : ''}>
                  <td className="toggle-col">
                    <button
                      type="button"
                      className="link expander"
                      aria-expanded={open.has(alert.id)}
                      aria-label={`Details of alert ${alert.title}`}
                      onClick={() => toggle(alert.id)}
                    >
                      {open.has(alert.id) ? '▾' : '▸'}
                    </button>
                  </td>
                  <td>{alert.title}</td>
                  <td>
                    <SeverityBadge severity={alert.severity} />
                  </td>
                  <td>{alert.productName}</td>
                  <td className="num" title={`Received ${formatTime(alert.receivedAt)}`}>
                    {formatTime(alert.alertTime)}
                  </td>
                </tr>
                {open.has(alert.id) && (
                  <tr className="alert-details-row">
                    <td />
                    <td colSpan={4}>
                      <AlertDetails alert={alert} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What an opened alert row shows: description, rule, status, tactics, custom details, entities. */
function AlertDetails({ alert }: { alert: Alert }) {
  const details = Object.entries(alert.customDetails);
  return (
    <div className="alert-details stack">
      {alert.description && <p className="pre-wrap">{alert.description}</p>}
      <dl className="kv">
        <dt>Status</dt>
        <dd>{words(alert.status)}</dd>
        {alert.analyticsRuleName && (
          <>
            <dt>Analytics rule</dt>
            <dd>{alert.analyticsRuleName}</dd>
          </>
        )}
        {alert.vendorName && (
          <>
            <dt>Vendor</dt>
            <dd>{alert.vendorName}</dd>
          </>
        )}
        {alert.tactics.length > 0 && (
          <>
            <dt>Tactics</dt>
            <dd>{alert.tactics.map(words).join(', ')}</dd>
          </>
        )}
        {alert.techniques.length > 0 && (
          <>
            <dt>Techniques</dt>
            <dd>{alert.techniques.join(', ')}</dd>
          </>
        )}
        <dt>Source id</dt>
        <dd className="mono">{alert.sourceAlertId}</dd>
      </dl>
      {details.length > 0 && (
        <div>
          <h3>Custom details</h3>
          <dl className="kv">
            {details.map(([key, values]) => (
              <Fragment key={key}>
                <dt>{key}</dt>
                <dd className="mono">{values.join(', ')}</dd>
              </Fragment>
            ))}
          </dl>
        </div>
      )}
      {alert.entities.length > 0 && (
        <div>
          <h3>Entities</h3>
          <div className="row wrap">
            {alert.entities.map((entity, i) => (
              <span key={entity.id ?? i} className="chip" title={entity.kind}>
                <span className="muted">{entity.kind}</span> {entity.name}
              </span>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
