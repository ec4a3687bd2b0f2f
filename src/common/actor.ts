import { z } from 'zod';

export const ACTOR_TYPES = ['user', 'automationRule', 'playbook', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Who made a change: a person (or their token), an automation rule, a playbook, or Vigil itself. */
export interface Actor {
  type: ActorType;
  id: string;
  name: string;
}

export const actorSchema = z
  .object({
    type: z.enum(ACTOR_TYPES),
    id: z.string(),
    name: z.string(),
  })
  .meta({ id: 'Actor' });

/** Vigil itself, for changes no person or rule asked for (alerts grouped, severity raised). */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'system', name: 'Vigil' };

/** The actor for alert ingestion: the system, acting for the caller that sent the alerts. */
export const ALERT_GROUPING_ACTOR: Actor = { type: 'system', id: 'alert-grouping', name: 'Alert grouping' };
