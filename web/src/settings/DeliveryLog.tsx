import { useState, type ReactNode } from 'react';
import type { Page } from '../api/client.js';
import { SidePane } from '../ui/Dialog.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { DELIVERY_STATUS_OPTIONS } from './DeliveryStatus.js';

/** The paging state of a delivery log: a status filter and a stack of cursors (older pages). */
export function useDeliveryPaging() {
  const [status, setStatusValue] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    status,
    cursor: cursors[cursors.length - 1],
    setStatus: (value: string) => {
      setStatusValue(value);
      setCursors([]);
    },
    older: (next: string) => setCursors([...cursors, next]),
    newer: cursors.length > 0 ? () => setCursors(cursors.slice(0, -1)) : undefined,
  };
}

/** A side pane with a delivery log: status filter, the page's rows (rendered by the caller), newer/older. */
export function DeliveryLog<T>({
  title,
  paging,
  query,
  header,
  renderRow,
  onClose,
  children,
}: {
  title: string;
  paging: ReturnType<typeof useDeliveryPaging>;
  query: { isPending: boolean; error: unknown; data?: Page<T>; refetch: () => unknown; isFetching: boolean };
  header: ReactNode;
  renderRow: (item: T) => ReactNode;
  onClose: () => void;
  children?: ReactNode;
}) {
  return (
    <SidePane title={title} onClose={onClose}>
      <div className="delivery-log stack">
        <div className="toolbar">
          <label className="row">
            Status
            <select value={paging.status} onChange={(e) => paging.setStatus(e.target.value)}>
              <option value="">Any</option>
              {DELIVERY_STATUS_OPTIONS.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="small" onClick={() => void query.refetch()} disabled={query.isFetching}>
            Refresh
          </button>
        </div>
        {children}
        {query.isPending ? (
          <Loading />
        ) : query.error ? (
          <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />
        ) : !query.data || query.data.items.length === 0 ? (
          <EmptyState title="No deliveries">
            {paging.status ? `None is ${paging.status}.` : 'Nothing has been sent yet; deliveries are kept 30 days.'}
          </EmptyState>
        ) : (
          <table className="grid" aria-label="Deliveries">
            <thead>{header}</thead>
            <tbody>{query.data.items.map(renderRow)}</tbody>
          </table>
        )}
        {(paging.newer || query.data?.nextCursor) && (
          <div className="row">
            <button type="button" className="small" disabled={!paging.newer} onClick={paging.newer}>
              Newer
            </button>
            <button
              type="button"
              className="small"
              disabled={!query.data?.nextCursor}
              onClick={() => query.data?.nextCursor && paging.older(query.data.nextCursor)}
            >
              Older
            </button>
          </div>
        )}
      </div>
    </SidePane>
  );
}
