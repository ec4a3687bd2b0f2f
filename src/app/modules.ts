import { registerActivityRoutes } from '../activity/index.js';
import { registerAlertRoutes } from '../alerts/index.js';
import { registerAnalyticsRuleRoutes } from '../analytics-rules/index.js';
import { registerAutomationRuleRoutes } from '../automation-rules/index.js';
import { registerRuleImportRoutes } from '../automation-rules/rule-import-routes.js';
import { registerAuthRoutes } from '../auth/index.js';
import { registerCommentRoutes } from '../comments/index.js';
import type { Config } from '../config/config.js';
import { registerEntityRoutes } from '../entities/index.js';
import { registerExportRoutes } from '../exports/index.js';
import type { VigilServer } from '../http/types.js';
import { registerTaskRoutes } from '../tasks/index.js';
import { registerIncidentRoutes } from '../incidents/index.js';
import { registerUserRoutes } from '../users/index.js';
import { registerWorkspaceRoutes } from '../workspaces/index.js';
import { registerApprovalRoutes } from '../approvals/approval-routes.js';
import { registerConnectionRoutes } from '../connections/connection-routes.js';
import { registerCatalogRoutes } from '../playbooks/catalog-routes.js';
import { registerPlaybookRoutes } from '../playbooks/playbook-routes.js';
import { registerRunRoutes } from '../playbooks/run-routes.js';
import { registerWebhookRoutes } from '../playbooks/webhook-routes.js';
import { registerWebhookSubscriptionRoutes } from '../webhooks/index.js';
import { registerNotificationRoutes } from '../notifications/index.js';
import { registerLiveRoutes } from '../live/index.js';
import type { Services } from './services.js';

/** The domain modules' HTTP routes, in one list. */
export function registerModuleRoutes(server: VigilServer, services: Services, config: Config): void {
  registerAuthRoutes(server, services.auth, { secureCookies: config.publicUrl.startsWith('https://') });
  registerWorkspaceRoutes(server, services.workspaces, services.members);
  registerUserRoutes(server, services.users, services.groups);
  registerIncidentRoutes(server, services.incidents, (request) =>
    services.auth.workspacesWith(request.principal!, 'incidents.read'),
  );
  registerAlertRoutes(server, services.alerts);
  registerEntityRoutes(server, services.entities);
  registerAnalyticsRuleRoutes(server, services.analyticsRules);
  registerAutomationRuleRoutes(server, services.automationRules, services.incidents, services.storage, services.now);
  registerRuleImportRoutes(server, services.automationRules, services.storage);
  registerCommentRoutes(server, services.comments);
  registerTaskRoutes(server, services.tasks, services.storage, services.now);
  registerActivityRoutes(server, services.activity);
  registerExportRoutes(server, services.incidentExports);
  const { playbooks } = services;
  registerConnectionRoutes(server, playbooks.connections);
  registerPlaybookRoutes(server, playbooks.playbooks, playbooks.runs);
  registerRunRoutes(server, playbooks.runs, playbooks.playbooks, services.incidents);
  registerWebhookRoutes(server, services.storage, playbooks.launcher, playbooks.definitions);
  registerApprovalRoutes(server, playbooks.approvals);
  registerCatalogRoutes(server, playbooks.catalog);
  registerWebhookSubscriptionRoutes(server, services.webhooks);
  registerNotificationRoutes(server, services.notifications);
  registerLiveRoutes(server, services.live, services.auth);
}
