/** Automation rules: Sentinel's rule model, compiled once and run inside the writes they react to. */
export { createAutomationRuleService, type AutomationRuleService } from './rule-service.js';
export { registerAutomationRuleRoutes } from './rule-routes.js';
export { RuleCache } from './rule-cache.js';
export { runIncidentRules, type RuleItem, type RuleItemResult } from './rule-runner.js';
export { createIncidentAutomation } from './automation-hooks.js';
export { planNewIncidentWrites, writeNewIncidentWrites, saveUpdatedIncident } from './rule-persistence.js';
export { updateSource } from './rule-subject.js';
