import { createActivityService } from '../activity/index.js';
import { createAlertService } from '../alerts/index.js';
import { createAnalyticsRuleService } from '../analytics-rules/index.js';
import { createAutomationRuleService, createIncidentAutomation, RuleCache } from '../automation-rules/index.js';
import { createAuthService } from '../auth/index.js';
import { createCommentService } from '../comments/index.js';
import type { Config } from '../config/config.js';
import { createEntityService } from '../entities/index.js';
import { createIncidentService } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import { checkAlertPlaybooks } from '../playbooks/playbook-checks.js';
import { createPlaybookModule, createRunQueue } from '../playbooks/playbook-module.js';
import { createPlaybookLauncher } from '../playbooks/rule-launcher.js';
import type { RunWorker } from '../playbooks/worker/embedded-worker.js';
import { createTaskService } from '../tasks/index.js';
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
  return {
    storage,
    now,
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
    activity: createActivityService({ storage, resolveIncident }),
  };
}
