import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { alertSchema } from '../../../src/alerts/alert-schemas.js';
import { LIMITS } from '../../../src/common/limits.js';
import { api, wsPath, type Page } from './client.js';
import { incidentKeys } from './incidents.js';

/** An alert as the API returns it (title, severity, product, custom details, entities …). */
export type Alert = z.output<typeof alertSchema>;

/** An incident's alerts (an incident holds at most 150, so one page holds them all). */
export function useIncidentAlerts(workspace: string, number: number) {
  return useQuery({
    queryKey: incidentKeys.part(workspace, number, 'alerts'),
    queryFn: ({ signal }) =>
      api.get<Page<Alert>>(wsPath(workspace, `/incidents/${number}/alerts`), {
        query: { limit: LIMITS.alertsPerIncident },
        signal,
      }),
  });
}
