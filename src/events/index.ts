export { EVENT_TYPES, type EventType, type OutboxEvent } from './event-types.js';
export { setSubscriberCount } from './outbox.js';
export type { EventConsumer } from './event-dispatcher.js';
export type { DeliveryChannel, DeliveryOutcome } from './delivery-sender.js';
export {
  DELIVERY_STATUSES,
  findDelivery,
  listDeliveries,
  type Delivery,
  type DeliveryStatus,
  type NewDelivery,
} from './delivery-repository.js';
export { createEventDelivery, type EventDelivery } from './event-module.js';
export { deliveryLogPage, deliveryQuerySchema, deliverySchema, toDeliveryView, type DeliveryView } from './delivery-log.js';
