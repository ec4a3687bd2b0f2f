export { createWebhookService, type WebhookService } from './webhook-service.js';
export { createWebhookDelivery, WEBHOOK_CHANNEL } from './webhook-delivery.js';
export { registerWebhookSubscriptionRoutes } from './webhook-routes.js';
export { signatureHeader, verifySignature } from './webhook-signature.js';
