import { useState } from 'react';
import { useIncidentEntities, useIncidentEntitiesOfKind, type IncidentEntity } from '../api/entities.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';

const SHOWN_PER_KIND = 10;

/** How each entity kind is titled, in the order the card lists them (others follow by name). */
const KIND_TITLES: Record<string, string> = {
  Account: 'Accounts',
  Host: 'Hosts',
  Ip: 'IP addresses',
  Url: 'URLs',
  Mailbox: 'Mailboxes',
  MailMessage: 'Mail messages',
  MailCluster: 'Mail clusters',
  SubmissionMail: 'Submitted mails',
  File: 'Files',
  FileHash: 'File hashes',
  Process: 'Processes',
  DnsResolution: 'DNS resolutions',
  CloudApplication: 'Cloud applications',
  AzureResource: 'Azure resources',
  Malware: 'Malware',
  RegistryKey: 'Registry keys',
  RegistryValue: 'Registry values',
  SecurityGroup: 'Security groups',
  IoTDevice: 'IoT devices',
  SecurityAlert: 'Security alerts',
  Bookmark: 'Bookmarks',
  NetworkConnection: 'Network connections',
  HostLogonSession: 'Logon sessions',
};
const KIND_ORDER = Object.keys(KIND_TITLES);

/** The incident's entities grouped by kind: up to 10 of each, then "Show all N". */
export function EntitiesCard({ workspace, number }: { workspace: string; number: number }) {
  const entities = useIncidentEntities(workspace, number);
  const counts = [...(entities.data?.metaData ?? [])]
    .filter((m) => m.count > 0)
    .sort((a, b) => rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind));
  const total = counts.reduce((sum, m) => sum + m.count, 0);
  return (
    <section className="card" aria-labelledby="entities-heading">
      <div className="row card-head">
        <h2 id="entities-heading">Entities</h2>
        {entities.data && <span className="badge neutral">{total}</span>}
      </div>
      {entities.isPending && <Loading label="Loading entities…" />}
      <ErrorNotice error={entities.error} what="entity list" onRetry={() => void entities.refetch()} />
      {entities.data && total === 0 && (
        <EmptyState title="No entities">The alerts of this incident name no accounts, hosts, IPs or other entities.</EmptyState>
      )}
      <div className="entity-groups">
        {counts.map(({ kind, count }) => (
          <EntityGroup
            key={kind}
            workspace={workspace}
            number={number}
            kind={kind}
            count={count}
            loaded={(entities.data?.items ?? []).filter((e) => e.kind === kind)}
          />
        ))}
      </div>
    </section>
  );
}

function rank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/** One kind's entities: the first 10, or all of them (fetched by kind when the first page did not hold them). */
function EntityGroup({
  workspace,
  number,
  kind,
  count,
  loaded,
}: {
  workspace: string;
  number: number;
  kind: string;
  count: number;
  loaded: IncidentEntity[];
}) {
  const [all, setAll] = useState(false);
  const needsFetch = all && loaded.length < count;
  const more = useIncidentEntitiesOfKind(workspace, number, kind, needsFetch);
  const fetched = more.data?.pages.flatMap((p) => p.items) ?? [];
  const list = all ? (needsFetch && fetched.length > 0 ? fetched : loaded) : loaded.slice(0, SHOWN_PER_KIND);
  const title = KIND_TITLES[kind] ?? kind;
  return (
    <div className="entity-group">
      <h3>
        {title} <span className="muted">({count})</span>
      </h3>
      <ul className="entity-list">
        {list.map((entity) => (
          <li key={entity.id}>
            <details>
              <summary title={entity.name}>
                <span className="entity-name">{entity.name}</span>
                <span className="muted">
                  {' '}
                  · {entity.alertCount} alert{entity.alertCount === 1 ? '' : 's'}
                </span>
              </summary>
              <dl className="kv">
                {Object.entries(entity.properties).map(([key, value]) => (
                  <div key={key} className="kv-row">
                    <dt>{key}</dt>
                    <dd className="mono">{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
                  </div>
                ))}
              </dl>
            </details>
          </li>
        ))}
      </ul>
      {needsFetch && more.isPending && <Loading label={`Loading ${title.toLowerCase()}…`} />}
      <ErrorNotice error={more.error} what="entity list" />
      {all && more.hasNextPage && (
        <button type="button" className="link" onClick={() => void more.fetchNextPage()} disabled={more.isFetchingNextPage}>
          Load more
        </button>
      )}
      {count > SHOWN_PER_KIND && (
        <button type="button" className="link" onClick={() => setAll(!all)}>
          {all ? `Show the first ${SHOWN_PER_KIND}` : `Show all ${count}`}
        </button>
      )}
    </div>
  );
}
