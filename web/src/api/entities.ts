import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, wsPath } from './client.js';
import { incidentKeys } from './incidents.js';

/** An entity of an incident (account, host, IP …), de-duplicated across its alerts. */
export interface IncidentEntity {
  id: string;
  kind: string;
  name: string;
  properties: Record<string, unknown>;
  alertCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** A page of entities with the count of each kind over all of them. */
export interface EntityPage {
  items: IncidentEntity[];
  nextCursor: string | null;
  metaData: { kind: string; count: number }[];
}

const PAGE = 500;

/** The first 500 of an incident's entities and how many there are of each kind. */
export function useIncidentEntities(workspace: string, number: number) {
  return useQuery({
    queryKey: incidentKeys.part(workspace, number, 'entities'),
    queryFn: ({ signal }) =>
      api.get<EntityPage>(wsPath(workspace, `/incidents/${number}/entities`), { query: { limit: PAGE }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** Every entity of one kind, a page at a time ("Show all N" of a kind with many). */
export function useIncidentEntitiesOfKind(workspace: string, number: number, kind: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: [...incidentKeys.part(workspace, number, 'entities'), kind],
    queryFn: ({ pageParam, signal }) =>
      api.get<EntityPage>(wsPath(workspace, `/incidents/${number}/entities`), {
        query: { kind, limit: PAGE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}
