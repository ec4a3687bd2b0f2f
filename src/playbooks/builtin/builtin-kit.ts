import { z } from 'zod';
import { ActionError } from '../../connectors/action.js';
import type { BuiltinContext } from './builtin-action.js';

/** The `incident` input most built-in actions take: an id or number; the run's incident when omitted. */
export const incidentRef = z
  .union([z.string().min(1).max(64), z.number().int().positive()])
  .optional()
  .describe("The incident's id or number (default: the incident the run is about)");

/** The incident an action works on: the one named, else the run's. */
export function incidentOf(context: BuiltinContext, ref: string | number | undefined): string {
  if (ref !== undefined) return String(ref);
  if (context.trigger.incidentId) return context.trigger.incidentId;
  throw new ActionError('This run is not about an incident: pass `incident` (an id or number)');
}

/** An entity as actions return it. */
export const entityOutput = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  properties: z.record(z.string(), z.unknown()),
});

/** An incident as actions return it (the API's view). */
export const incidentOutput = z.record(z.string(), z.unknown()).describe('The incident as GET /incidents/{id} returns it');
