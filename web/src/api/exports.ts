import { useMutation, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { incidentExportSchema } from '../../../src/exports/export-schemas.js';
import { api, wsPath } from './client.js';
import { incidentKeys } from './incidents.js';

/** A PDF export of an incident: pending, ready (with fileUrl) or failed (with the reason). */
export type IncidentExport = z.output<typeof incidentExportSchema>;

/** Asks for a PDF of the incident (all sections); the answer is pending until generated. */
export function useRequestExport(workspace: string, number: number) {
  return useMutation({
    mutationFn: () => api.post<IncidentExport>(wsPath(workspace, `/incidents/${number}/exports`), {}),
  });
}

/** One export, polled every second while it is pending. */
export function useExport(workspace: string, number: number, id: string | null) {
  return useQuery({
    queryKey: [...incidentKeys.part(workspace, number, 'exports'), id],
    queryFn: ({ signal }) => api.get<IncidentExport>(wsPath(workspace, `/incidents/${number}/exports/${id}`), { signal }),
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? 1000 : false),
  });
}
