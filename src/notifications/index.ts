/** Email notification rules: rules per workspace, matching events to them, rate limit and digest, the email channel. */
export { createNotificationModule, type NotificationModule } from './notification-module.js';
export { registerNotificationRoutes } from './notification-routes.js';
export type { NotificationService } from './notification-service.js';
export { EMAIL_CHANNEL, DIGEST_EVENT_TYPE } from './notification-consumer.js';
export { NOTIFICATION_LIMITS, RATE_WINDOW_MS, UPDATE_KINDS, type NotificationRule } from './notification-schemas.js';
