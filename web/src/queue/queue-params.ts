import { useCallback, useMemo } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';
import type { QueryValue } from '../api/client.js';

/** The queue's list filters, named as the API's query parameters (repeated for several values). */
export const LIST_FILTERS = [
  'status',
  'severity',
  'owner',
  'tag',
  'classification',
  'product',
  'analyticsRule',
  'workspace',
] as const;
/** A filter that takes several values. */
export type ListFilter = (typeof LIST_FILTERS)[number];
/** Filters with one value. */
export const SINGLE_FILTERS = ['createdFrom', 'createdTo', 'q'] as const;
/** A filter that takes one value. */
export type SingleFilter = (typeof SINGLE_FILTERS)[number];

/** The sorts the API offers and what the queue calls them. */
export const SORTS = { created: 'Created', updated: 'Last updated', severity: 'Severity', number: 'Number' } as const;
/** A sort the API offers. */
export type Sort = keyof typeof SORTS;

/** Rows per page. */
export const PAGE_SIZE = 50;

/** The queue's whole view as the URL holds it: filters, sort and page. */
export interface QueueParams {
  lists: Record<ListFilter, string[]>;
  createdFrom: string;
  createdTo: string;
  q: string;
  sort: Sort;
  order: 'asc' | 'desc';
  cursor: string;
}

/** A change to the view; filters dropped when set to [] or ''. */
export type QueueParamChange = Partial<Record<ListFilter, string[]>> &
  Partial<Record<SingleFilter, string>> & { sort?: Sort; order?: 'asc' | 'desc' };

/** Reads the view from the query string (comma-separated values are split, as the API does). */
export function parseQueueParams(search: URLSearchParams): QueueParams {
  const list = (name: string) =>
    search
      .getAll(name)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  const lists = Object.fromEntries(LIST_FILTERS.map((name) => [name, list(name)])) as Record<ListFilter, string[]>;
  const sort = search.get('sort');
  return {
    lists,
    createdFrom: search.get('createdFrom') ?? '',
    createdTo: search.get('createdTo') ?? '',
    q: search.get('q') ?? '',
    sort: sort && sort in SORTS ? (sort as Sort) : 'created',
    order: search.get('order') === 'asc' ? 'asc' : 'desc',
    cursor: search.get('cursor') ?? '',
  };
}

/** The filters as API query parameters (for the list and the counts). */
export function filterQuery(params: QueueParams): Record<string, QueryValue> {
  return { ...params.lists, createdFrom: params.createdFrom, createdTo: params.createdTo, q: params.q.trim() };
}

/** The list request's query: filters, sort, page size and cursor. */
export function listQuery(params: QueueParams): Record<string, QueryValue> {
  return { ...filterQuery(params), sort: params.sort, order: params.order, limit: PAGE_SIZE, cursor: params.cursor };
}

/** How many filters are set (the sort and page are not filters). */
export function activeFilterCount(params: QueueParams): number {
  return (
    LIST_FILTERS.filter((name) => params.lists[name].length > 0).length +
    [params.createdFrom, params.createdTo, params.q].filter(Boolean).length
  );
}

/** Where the previous pages' cursors are kept: in the history entry, so Back and reload keep them. */
interface PagingState {
  cursors?: string[];
}

/**
 * The queue's view from the URL and the ways to change it. Every change pushes a history entry
 * (Back undoes it); changing a filter or the sort returns to the first page.
 */
export function useQueueParams() {
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => parseQueueParams(search), [search]);

  const update = useCallback(
    (change: QueueParamChange) => {
      setSearch((current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(change)) {
          next.delete(name);
          if (Array.isArray(value)) for (const item of value) next.append(name, item);
          else if (value) next.set(name, value);
        }
        next.delete('cursor');
        return next;
      });
    },
    [setSearch],
  );

  const clearFilters = useCallback(() => {
    setSearch((current) => {
      const next = new URLSearchParams();
      for (const keep of ['sort', 'order']) {
        const value = current.get(keep);
        if (value) next.set(keep, value);
      }
      return next;
    });
  }, [setSearch]);

  const state = useLocation().state as PagingState | null;
  const history = useMemo(() => state?.cursors ?? [], [state]);

  const goToPage = useCallback(
    (cursor: string, cursors: string[]) => {
      setSearch(
        (current) => {
          const next = new URLSearchParams(current);
          if (cursor) next.set('cursor', cursor);
          else next.delete('cursor');
          return next;
        },
        { state: { cursors } satisfies PagingState },
      );
    },
    [setSearch],
  );

  /** Opens the page after this one, remembering this page's cursor for Previous. */
  const nextPage = useCallback(
    (nextCursor: string) => goToPage(nextCursor, [...history, params.cursor]),
    [goToPage, history, params.cursor],
  );
  /** Opens the page before this one (the first page when the way back is unknown, e.g. from a shared link). */
  const previousPage = useCallback(() => {
    const cursors = [...history];
    const previous = cursors.pop() ?? '';
    goToPage(previous, cursors);
  }, [goToPage, history]);
  /** Opens the first page. */
  const firstPage = useCallback(() => goToPage('', []), [goToPage]);

  // A page opened from a shared link does not know how many pages came before it.
  const pageNumber = !params.cursor ? 1 : state?.cursors ? history.length + 1 : null;
  return { params, update, clearFilters, nextPage, previousPage, firstPage, pageNumber };
}
