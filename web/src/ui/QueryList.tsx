import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { EmptyState, ErrorNotice, Loading } from './feedback.js';

/**
 * A list query's states in one place: loading, its error with a retry, the empty state
 * (`emptyTitle` and `empty` text), else `children` with the loaded page.
 */
export function QueryList<T extends { items: readonly unknown[] }>({
  query,
  emptyTitle,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  emptyTitle: string;
  empty: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data.items.length === 0) return <EmptyState title={emptyTitle}>{empty}</EmptyState>;
  return <>{children(query.data)}</>;
}
