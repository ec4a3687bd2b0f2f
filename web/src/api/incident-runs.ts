import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { runSchema } from '../../../src/playbooks/run-views.js';
import { api, wsPath, type Page } from './client.js';
import { incidentKeys } from './incidents.js';
import { playbookKeys } from './playbooks.js';

/** A playbook run (status, timing, who started it). */
export type PlaybookRun = z.output<typeof runSchema>;

/** An input a playbook declares (manual runs pass them). */
export interface PlaybookInputDeclaration {
  type: 'string' | 'number' | 'boolean' | 'object' | 'array';
  required: boolean;
  default?: unknown;
  description?: string;
}

/** What the Run playbook dialog needs of a playbook: what it runs on and the inputs it takes. */
export interface PlaybookRunForm {
  runsOnIncidents: boolean;
  inputs: Record<string, PlaybookInputDeclaration>;
}

/** The playbook runs on an incident, newest first. */
export function useIncidentRuns(workspace: string, number: number, enabled = true) {
  return useQuery({
    queryKey: incidentKeys.part(workspace, number, 'playbook-runs'),
    queryFn: ({ signal }) =>
      api.get<Page<PlaybookRun>>(wsPath(workspace, `/incidents/${number}/playbook-runs`), { query: { limit: 50 }, signal }),
    enabled,
    refetchInterval: (query) =>
      query.state.data?.items.some((run) => ['queued', 'running', 'waiting'].includes(run.status)) ? 3000 : false,
  });
}

/** Whether a playbook runs on incidents and the inputs it declares (from its current definition). */
export function usePlaybookRunForm(workspace: string, playbook: string | null) {
  return useQuery({
    queryKey: [...playbookKeys.all(workspace), 'run-form', playbook],
    enabled: playbook !== null,
    queryFn: async ({ signal }): Promise<PlaybookRunForm> => {
      const detail = await api.get<{
        definition: { trigger?: { type?: string; targets?: string[] }; inputs?: Record<string, PlaybookInputDeclaration> };
      }>(wsPath(workspace, `/playbooks/${encodeURIComponent(playbook!)}`), { signal });
      const trigger = detail.definition.trigger;
      // A definition without a trigger is a manual playbook that runs on anything (the server's default).
      const runsOnIncidents =
        !trigger?.type ||
        trigger.type === 'incident' ||
        (trigger.type === 'manual' && (trigger.targets ?? ['incident']).includes('incident'));
      return { runsOnIncidents, inputs: detail.definition.inputs ?? {} };
    },
  });
}

/** Runs a playbook now on the incident (POST /playbooks/{id}/runs with `incident`). */
export function useRunPlaybookOnIncident(workspace: string, number: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ playbook, inputs }: { playbook: string; inputs: Record<string, unknown> }) =>
      api.post<PlaybookRun>(wsPath(workspace, `/playbooks/${encodeURIComponent(playbook)}/runs`), { incident: number, inputs }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: incidentKeys.part(workspace, number, 'playbook-runs') });
      void client.invalidateQueries({ queryKey: ['runs', workspace] });
    },
  });
}
