import { z } from 'zod';
import { NotFoundError, RuleViolationError } from '../errors/errors.js';
import { errorResponses } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import type { Storage } from '../storage/database.js';
import type { PlaybookDefinition } from './definition/index.js';
import type { LaunchBatcher } from './launch-batcher.js';
import { runStatement } from '../storage/bulk.js';
import type { PlaybooksTable } from '../storage/schema-playbooks.js';
import { playbookFromRow } from './playbook-repository.js';
import { webhookHash } from './playbook-writes.js';
import { inputsFromPayload } from './run-inputs.js';

/** The playbook a webhook token belongs to, in one statement (every webhook call asks). */
const PLAYBOOK_OF_WEBHOOK = `select p.* from playbook_webhooks w
  join playbooks p on p.workspace_id = w.workspace_id and p.id = w.playbook_id
  where w.token_hash = ?`;

/**
 * The webhook trigger: `POST /api/v1/hooks/{token}` with any JSON body starts a run of the
 * playbook the token belongs to (the body is `trigger.payload`; declared inputs are taken from
 * it). The token is the credential, so the URL is secret; it is never logged.
 */
export function registerWebhookRoutes(
  server: VigilServer,
  storage: Storage,
  launcher: LaunchBatcher,
  definitions: { get(workspaceId: string, playbookId: string, version: number): Promise<PlaybookDefinition> },
): void {
  server.post('/api/v1/hooks/:token', {
    config: { permission: 'public', secretUrl: true },
    schema: {
      tags: ['Playbook runs'],
      summary: "Start a webhook playbook's run (the body becomes trigger.payload)",
      params: z.object({ token: z.string().min(10).max(200) }),
      body: z.unknown(),
      response: { 202: z.object({ runId: z.string(), status: z.literal('queued') }), ...errorResponses },
    },
    handler: async (request, reply) => {
      const [row] = await runStatement<PlaybooksTable>(storage.db, storage.dialect, PLAYBOOK_OF_WEBHOOK, [
        webhookHash(request.params.token),
      ]);
      const playbook = row ? playbookFromRow(row) : undefined;
      if (!playbook || playbook.triggerKind !== 'webhook') throw new NotFoundError('No playbook has this webhook URL');
      if (!playbook.enabled) throw new RuleViolationError(`Playbook ${playbook.name} is disabled`);
      const definition = await definitions.get(playbook.workspaceId, playbook.id, playbook.currentVersion);
      const payload = request.body ?? null;
      const inputs = inputsFromPayload(definition.inputs, payload);
      const source = { type: 'system', id: 'webhook', name: 'Webhook' };
      const runId = await launcher.launch({
        workspaceId: playbook.workspaceId,
        playbookId: playbook.id,
        playbookName: playbook.name,
        version: playbook.currentVersion,
        trigger: { kind: 'webhook', payload, source },
        inputs,
        startedBy: { type: 'system', id: 'webhook', name: 'Webhook' },
      });
      return reply.status(202).send({ runId, status: 'queued' as const });
    },
  });
}
