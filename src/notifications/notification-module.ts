import type { Config } from '../config/config.js';
import type { EventConsumer, DeliveryChannel } from '../events/index.js';
import type { IncidentService } from '../incidents/index.js';
import { createMailer } from '../mail/mailer.js';
import type { Storage } from '../storage/database.js';
import { createEmailChannel } from './notification-channel.js';
import { createNotificationConsumer } from './notification-consumer.js';
import { createNotificationService, type NotificationService } from './notification-service.js';

/** SMTP timeouts: an unresponsive server fails an attempt (to be retried) well within the sender's lease. */
const SMTP_TIMEOUT_MS = { connection: 15_000, greeting: 15_000, socket: 60_000 };

/** The notifications module: the rule service, and the event consumer and email channel to register. */
export interface NotificationModule {
  service: NotificationService;
  consumer: EventConsumer;
  channel: DeliveryChannel;
}

/** Builds the notifications module over the server's SMTP settings (`SMTP_URL`, `SMTP_FROM`). */
export function createNotificationModule(deps: {
  storage: Storage;
  config: Pick<Config, 'smtp' | 'publicUrl'>;
  now: () => number;
  incidents: Pick<IncidentService, 'describe'>;
}): NotificationModule {
  const { storage, config, now } = deps;
  const mailer = createMailer({ ...config.smtp, timeoutMs: SMTP_TIMEOUT_MS });
  return {
    service: createNotificationService({ storage, now, mailer, publicUrl: config.publicUrl }),
    consumer: createNotificationConsumer({ dialect: storage.dialect, incidents: deps.incidents, now }),
    channel: createEmailChannel({ storage, mailer, publicUrl: config.publicUrl }),
  };
}
