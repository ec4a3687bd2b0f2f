import type { z } from 'zod';
import { UNSAFE_KEYS } from '../expressions/index.js';
import type { PlaybookDefinition, PlaybookTrigger } from './definition-types.js';
import { childPath, formatPath } from './definition-paths.js';
import { didYouMean, type Problem } from './definition-problems.js';
import { TOP_LEVEL_SCHEMAS, parseField, triggerSchema } from './definition-schema.js';
import { readSteps, type StepReading } from './definition-steps.js';
import type { ValidationHints } from './definition-validate.js';

/** Reads the authoring format's top level into a definition, keeping every problem of its shape. */

const TOP_FIELDS = ['name', 'description', 'enabled', 'trigger', 'inputs', 'connections', 'limits', 'steps'];

/** What reading gives: a definition (fields that could not be read get neutral values), its problems, and hints for validation. */
export interface DefinitionReading {
  definition: PlaybookDefinition;
  problems: Problem[];
  hints: ValidationHints;
}

/** Problems for keys that could pollute prototypes (`__proto__`, `constructor`, `prototype`), anywhere in the source. */
export function unsafeKeyProblems(value: unknown, path = ''): Problem[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => unsafeKeyProblems(item, childPath(path, index)));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    UNSAFE_KEYS.has(key)
      ? [{ path: childPath(path, key), message: `the key "${key}" is not allowed` }]
      : unsafeKeyProblems(item, childPath(path, key)),
  );
}

function readTrigger(raw: unknown, problems: Problem[]): PlaybookTrigger | undefined {
  const shorthand = typeof raw === 'string';
  const { data, problems: found } = parseField(triggerSchema, shorthand ? { type: raw } : raw, ['trigger']);
  problems.push(...found.map((p) => (shorthand && p.path === 'trigger.type' ? { ...p, path: 'trigger' } : p)));
  return data;
}

/** Reads a playbook given as a mapping (parsed YAML or JSON). */
export function readDefinition(raw: Record<string, unknown>): DefinitionReading {
  const problems: Problem[] = [];
  for (const key of Object.keys(raw)) {
    if (!TOP_FIELDS.includes(key))
      problems.push({ path: formatPath([key]), message: `unknown field "${key}"${didYouMean(key, TOP_FIELDS)}` });
  }
  const field = <T>(schema: z.ZodType<T>, key: string): T | undefined => {
    const { data, problems: found } = parseField(schema, raw[key], [key]);
    problems.push(...found);
    return data;
  };
  const name = field(TOP_LEVEL_SCHEMAS.name, 'name');
  const description = field(TOP_LEVEL_SCHEMAS.description, 'description');
  const enabled = field(TOP_LEVEL_SCHEMAS.enabled, 'enabled');
  const inputs = field(TOP_LEVEL_SCHEMAS.inputs, 'inputs');
  const connections = field(TOP_LEVEL_SCHEMAS.connections, 'connections');
  const limits = field(TOP_LEVEL_SCHEMAS.limits, 'limits');
  const trigger = raw.trigger === undefined ? undefined : readTrigger(raw.trigger, problems);
  if (raw.trigger === undefined) problems.push({ path: 'trigger', message: 'is required' });

  const reading: StepReading = { problems, ids: new Map(), brokenIds: new Set(), segments: new Map() };
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) {
    problems.push({ path: 'steps', message: raw.steps === undefined ? 'is required' : 'must be a list of at least one step' });
  }
  const steps = readSteps(raw.steps, ['steps'], '', reading);

  const definition: PlaybookDefinition = {
    name: name ?? '',
    description: description ?? '',
    enabled: enabled ?? true,
    trigger: trigger ?? { type: 'manual', targets: ['incident', 'alert', 'entity'] },
    inputs: inputs ?? {},
    connections: connections ?? {},
    ...(limits !== undefined && { limits }),
    steps,
  };
  const hints = {
    brokenIds: reading.brokenIds,
    unknownInputs: inputs === undefined,
    unknownConnections: connections === undefined,
    segments: reading.segments,
  };
  return { definition, problems, hints };
}
