import { z } from 'zod';
import { ENTITY_KINDS } from '../entities/entity-kinds.js';

export const GROUPING_MODES = ['none', 'allEntities', 'selected', 'anyAlert'] as const;
export type GroupingMode = (typeof GROUPING_MODES)[number];

/**
 * Sentinel's alert grouping ("Incident settings" of an analytics rule):
 * - `none`: one incident per alert;
 * - `allEntities`: group alerts of the rule whose entities all match;
 * - `selected`: group alerts that match on the selected entity kinds and custom details;
 * - `anyAlert`: group every alert of the rule;
 * within `lookbackMinutes` of the incident's first alert, into incidents of at most 150 alerts,
 * optionally re-opening a matching closed incident.
 */
const groupingFields = {
  mode: z.enum(GROUPING_MODES, { error: `must be one of ${GROUPING_MODES.join(', ')}` }),
  lookbackMinutes: z.number().int().min(5, 'must be at least 5 minutes').max(10_080, 'must be at most 7 days (10080)'),
  entityKinds: z.array(z.enum(ENTITY_KINDS, { error: `must be one of ${ENTITY_KINDS.join(', ')}` })).max(ENTITY_KINDS.length),
  customDetailKeys: z.array(z.string().min(1).max(200)).max(50),
  reopenClosed: z.boolean(),
};

const selectedNeedsSomething = {
  check: (g: { mode?: GroupingMode; entityKinds?: unknown[]; customDetailKeys?: unknown[] }) =>
    g.mode !== 'selected' || (g.entityKinds?.length ?? 0) + (g.customDetailKeys?.length ?? 0) > 0,
  message: 'mode "selected" needs at least one entity kind or custom detail key to match on',
};

export const groupingSchema = z
  .strictObject({
    mode: groupingFields.mode.default('none'),
    lookbackMinutes: groupingFields.lookbackMinutes.default(300),
    entityKinds: groupingFields.entityKinds.default([]),
    customDetailKeys: groupingFields.customDetailKeys.default([]),
    reopenClosed: groupingFields.reopenClosed.default(false),
  })
  .refine(selectedNeedsSomething.check, { message: selectedNeedsSomething.message, path: ['mode'] })
  .meta({ id: 'Grouping' });
export type Grouping = z.infer<typeof groupingSchema>;

/** A change to a grouping: the fields given replace the current ones, the others stay. */
export const groupingPatchSchema = z.strictObject(groupingFields).partial().meta({ id: 'GroupingPatch' });
export type GroupingPatch = z.infer<typeof groupingPatchSchema>;

/** Applies a grouping change; null when the result is not a valid grouping (see `selectedNeedsSomething`). */
export function mergeGrouping(current: Grouping, patch: GroupingPatch): Grouping | null {
  const merged = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Grouping;
  return selectedNeedsSomething.check(merged) ? merged : null;
}

/** The grouping used when nothing says otherwise: one incident per alert. */
export const DEFAULT_GROUPING: Grouping = {
  mode: 'none',
  lookbackMinutes: 300,
  entityKinds: [],
  customDetailKeys: [],
  reopenClosed: false,
};
