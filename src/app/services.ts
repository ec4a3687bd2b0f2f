import { createActivityService } from '../activity/index.js';
import { createAlertService } from '../alerts/index.js';
import { createAnalyticsRuleService } from '../analytics-rules/index.js';
import { createAutomationRuleService, createIncidentAutomation, RuleCache } from '../automation-rules/index.js';
import { createAuthService } from '../auth/index.js';
import { createCommentService } from '../comments/index.js';
import type { Config } from '../config/config.js';
import { createEntityService } from '../entities/index.js';
import { createExportService } from '../exports/index.js';
import { createEventDelivery } from '../events/index.js';
import { createIncidentService } from '../incidents/index.js';
import { createLiveFeed } from '../live/index.js';
import { createNotificationModule } from '../notifications/index.js';
import type { Storage } from '../storage/database.js';
import { checkAlertPlaybooks } from '../playbooks/playbook-checks.js';
import { createPlaybookModule, createRunQueue } from '../playbooks/playbook-module.js';
import { createPlaybookLauncher } from '../playbooks/rule-launcher.js';
import type { RunWorker } from '../playbooks/worker/embedded-worker.js';
import { createTaskService } from '../tasks/index.js';
import { createWebhookDelivery, createWebhookService } from '../webhooks/index.js';
import { createGroupService, createUserService } from '../users/index.js';
import { createMemberService, createWorkspaceService } from '../workspaces/index.js';

/** Every domain service, built from the storage and configuration. */
export type Services = ReturnType<typeof createServices>;

/** Builds the domain services and wires the few that depend on each other. */
export function createServices(storage: Storage, config: Config, options: { localSecret?: string; now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  // Playbook runs are queued inside the writes that trigger them; the queue reaches this
  // process's worker (once started) to wake it after the commit.
  let worker: RunWorker | undefined;
  const queue = createRunQueue(storage, () => worker);
  const launcher = createPlaybookLauncher({ dialect: storage.dialect, queue: () => queue });
  // Automation rules run inside the incident writes: the services get them as a hook.
  const automation = createIncidentAutomation({ cache: new RuleCache(), dialect: storage.dialect, playbooks: launcher });
  const incidents = createIncidentService({ storage, publicUrl: config.publicUrl, now, automation });
  const resolveIncident = incidents.resolve;
  const alerts = createAlertService({ storage, resolveIncident, now, automation });
  const entities = createEntityService({ storage, resolveIncident });
  const comments = createCommentService({ storage, now, automation });
  const tasks = createTaskService({ storage, now });
  const activity = createActivityService({ storage, resolveIncident });
  const playbooks = createPlaybookModule({
    storage,
    config,
    now,
    queue,
    setWorker: (w) => (worker = w),
    incidents,
    alerts,
    entities,
    comments,
    tasks,
  });
  // Webhook subscriptions and notification rules register their consumers and channels here.
  const events = createEventDelivery({ storage, now, config });
  const webhooks = createWebhookService({
    storage,
    now,
    secretKey: playbooks.secretKey,
    egressAllowlist: config.egressAllowlist,
  });
  const webhookDelivery = createWebhookDelivery({
    storage,
    incidents,
    secretOf: webhooks.secretOf,
    egressAllowlist: config.egressAllowlist,
    now,
  });
  events.register(webhookDelivery.consumer, webhookDelivery.channel);
  const notifications = createNotificationModule({ storage, config, now, incidents });
  events.register(notifications.consumer, notifications.channel);
  return {
    storage,
    now,
    events,
    live: createLiveFeed(storage),
    webhooks,
    notifications: notifications.service,
    auth: createAuthService({ storage, now, localSecret: options.localSecret }),
    workspaces: createWorkspaceService({ storage, now }),
    members: createMemberService({ storage, now }),
    users: createUserService({ storage, now }),
    groups: createGroupService({ storage, now }),
    incidents,
    alerts,
    entities,
    analyticsRules: createAnalyticsRuleService({ storage, now, checkPlaybooks: checkAlertPlaybooks }),
    comments,
    automationRules: createAutomationRuleService({ storage, now }),
    tasks,
    playbooks,
    activity,
    incidentExports: createExportService({ storage, now, sources: { incidents, alerts, entities, tasks, activity } }),
  };
}
