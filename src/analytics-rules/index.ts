/** Analytics rules: the detections alerts come from, and their alert-grouping settings. */
export { createAnalyticsRuleService, toAnalyticsRule, type AnalyticsRuleService } from './analytics-rule-service.js';
export { registerAnalyticsRuleRoutes } from './analytics-rule-routes.js';
export {
  findRulesByKeys,
  identifiersOf,
  insertRules,
  setRuleExternalId,
  type AnalyticsRuleRecord,
} from './analytics-rule-repository.js';
export { DEFAULT_GROUPING, groupingSchema, type Grouping, type GroupingMode } from './grouping.js';
