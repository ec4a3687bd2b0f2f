import type { z } from 'zod';
import { SCOPE_ROOTS } from '../expressions/index.js';
import type { Step, StepBase } from './definition-types.js';
import { formatPath, type PathSegment } from './definition-paths.js';
import { didYouMean, quote, type Problem } from './definition-problems.js';
import { IDENTIFIER, parseField } from './definition-schema.js';
import { KIND_KEYS, STEP_SCHEMAS, fieldsOf, type KindKey } from './step-schemas.js';

/**
 * Reads the `steps` of the authoring format into typed steps. A step's kind is the one kind key
 * it has; steps without an id get one from their position (`_3_then_0`). Every problem is kept;
 * a step with a problem is left out, and its id (and those inside it) recorded as broken so that
 * references to it are not reported a second time.
 */

/** What reading steps collects across the whole playbook. */
export interface StepReading {
  problems: Problem[];
  /** Every id seen (authored or given), with the path of the step using it first. */
  ids: Map<string, string>;
  /** Ids of steps that could not be read, or that sit inside one. */
  brokenIds: Set<string>;
  /** Where each read step is written: a step left out must not shift the paths of those after it. */
  segments: Map<Step, PathSegment[]>;
}

interface Place {
  raw: Record<string, unknown>;
  segments: PathSegment[];
  positionId: string;
  id: string | undefined;
  reading: StepReading;
  broken: boolean;
}

const KIND_NAMES = Object.keys(KIND_KEYS) as KindKey[];

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a list of steps at `base`; steps with problems are left out. */
export function readSteps(raw: unknown, base: PathSegment[], idPrefix: string, reading: StepReading, broken = false): Step[] {
  if (!Array.isArray(raw)) return [];
  const steps: Step[] = [];
  raw.forEach((item, index) => {
    const step = readStep(item, [...base, index], `${idPrefix}_${index}`, reading, broken);
    if (step) steps.push(step);
  });
  return steps;
}

function problem(place: Place, message: string, ...below: PathSegment[]): void {
  place.reading.problems.push({ path: formatPath([...place.segments, ...below]), message });
}

function readId(
  raw: Record<string, unknown>,
  segments: PathSegment[],
  positionId: string,
  reading: StepReading,
): string | undefined {
  const path = formatPath([...segments, 'id']);
  const id = raw.id;
  if (id === undefined) {
    reading.ids.set(positionId, formatPath(segments));
    return positionId;
  }
  let message: string | undefined;
  if (typeof id !== 'string') message = `must be text, not ${quote(id)}`;
  else if (id.startsWith('_')) message = `${quote(id)} starts with _, which is kept for the ids of steps without one`;
  else if (!IDENTIFIER.test(id)) message = `${quote(id)} must start with a letter and hold only letters, digits and _`;
  else if (reading.ids.has(id)) message = `the id ${quote(id)} is already used by ${reading.ids.get(id)}`;
  if (message) {
    reading.problems.push({ path, message });
    return undefined;
  }
  reading.ids.set(id as string, formatPath(segments));
  return id as string;
}

function readStep(
  raw: unknown,
  segments: PathSegment[],
  positionId: string,
  reading: StepReading,
  broken: boolean,
): Step | undefined {
  const path = formatPath(segments);
  if (!isMapping(raw)) {
    reading.problems.push({ path, message: `each step must be a mapping with one of ${KIND_NAMES.join(', ')}` });
    return undefined;
  }
  const id = readId(raw, segments, positionId, reading);
  const place: Place = { raw, segments, positionId, id, reading, broken };
  const kinds = KIND_NAMES.filter((key) => Object.prototype.hasOwnProperty.call(raw, key));
  let step: Step | undefined;
  if (kinds.length === 0) {
    const typo = Object.keys(raw).find((key) => didYouMean(key, KIND_NAMES) !== '');
    const hint = typo ? `; "${typo}" is not one of them${didYouMean(typo, KIND_NAMES)}` : '';
    problem(place, `a step needs one of ${KIND_NAMES.join(', ')}${hint}`);
  } else if (kinds.length > 1) {
    problem(
      place,
      `a step has exactly one of ${KIND_NAMES.join(', ')}; this one has ${kinds.map((k) => `"${k}"`).join(' and ')}`,
    );
  } else {
    step = READERS[kinds[0]!](place);
  }
  if ((!step || broken) && id !== undefined) reading.brokenIds.add(id);
  if (step) reading.segments.set(step, segments);
  return step;
}

/** Parses the step's fields with its kind's schema; problems go to the reading. */
function parse<T>(place: Place, schema: z.ZodType<T>, key: KindKey): T | undefined {
  const { data, problems } = parseField(schema, place.raw, place.segments, fieldsOf(key));
  place.reading.problems.push(...problems);
  return data;
}

type Common = Pick<z.output<(typeof STEP_SCHEMAS)['uses']>, 'name' | 'timeout' | 'retry' | 'continueOnError'>;

function base(place: Place, data: Common): StepBase {
  return {
    id: place.id!,
    ...(data.name !== undefined && { name: data.name }),
    ...(data.timeout !== undefined && { timeout: data.timeout }),
    ...(data.retry !== undefined && { retry: data.retry }),
    continueOnError: data.continueOnError,
  };
}

/**
 * The steps of one of the step's lists (`below` the step, `raw` as written); `failed` marks them
 * broken when the step itself is. Generated ids follow the path, with a case's index for its value.
 */
function list(place: Place, failed: boolean, below: PathSegment[], raw: unknown = place.raw[below[0]!], idBelow = below): Step[] {
  const idPrefix = `${place.positionId}_${idBelow.join('_')}`;
  return readSteps(raw, [...place.segments, ...below], idPrefix, place.reading, place.broken || failed);
}

const ok = (place: Place, data: unknown) => data !== undefined && place.id !== undefined;

const READERS: Record<KindKey, (place: Place) => Step | undefined> = {
  uses(place) {
    const data = parse(place, STEP_SCHEMAS.uses, 'uses');
    if (!ok(place, data)) return undefined;
    const { uses, with: inputs, connection } = data!;
    return { ...base(place, data!), kind: 'action', uses, with: inputs, ...(connection !== undefined && { connection }) };
  },
  if(place) {
    const data = parse(place, STEP_SCHEMAS.if, 'if');
    const then = list(place, !data, ['then']);
    const otherwise = list(place, !data, ['else']);
    if (!ok(place, data)) return undefined;
    return { ...base(place, data!), kind: 'if', condition: data!.if, then, else: otherwise };
  },
  switch(place) {
    const data = parse(place, STEP_SCHEMAS.switch, 'switch');
    const rawCases = isMapping(place.raw.cases) ? Object.entries(place.raw.cases) : [];
    const cases = rawCases.map(([value, steps], i) => ({
      value,
      steps: list(place, !data, ['cases', value], steps, ['cases', i]),
    }));
    const fallback = list(place, !data, ['default']);
    if (!ok(place, data)) return undefined;
    return { ...base(place, data!), kind: 'switch', value: data!.switch, cases, default: fallback };
  },
  forEach(place) {
    const data = parse(place, STEP_SCHEMAS.forEach, 'forEach');
    const steps = list(place, !data, ['steps']);
    if (data && (SCOPE_ROOTS as readonly string[]).includes(data.as)) {
      problem(place, `${quote(data.as)} is a name expressions already use; choose another name for the loop variable`, 'as');
      return undefined;
    }
    if (!ok(place, data)) return undefined;
    return { ...base(place, data!), kind: 'forEach', items: data!.forEach, as: data!.as, concurrency: data!.concurrency, steps };
  },
  parallel(place) {
    const data = parse(place, STEP_SCHEMAS.parallel, 'parallel');
    const rawBranches = Array.isArray(place.raw.parallel) ? place.raw.parallel : [];
    const branches = rawBranches.map((branch: unknown, i) => ({
      name: isMapping(branch) && typeof branch.name === 'string' ? branch.name : undefined,
      steps: list(place, !data, ['parallel', i, 'steps'], isMapping(branch) ? branch.steps : undefined),
    }));
    if (!ok(place, data)) return undefined;
    return { ...base(place, data!), kind: 'parallel', branches: branches.map((b) => (b.name ? b : { steps: b.steps })) };
  },
  scope(place) {
    const data = parse(place, STEP_SCHEMAS.scope, 'scope');
    const [steps, onFailure, always] = (['scope', 'onFailure', 'always'] as const).map((field) => list(place, !data, [field]));
    if (!ok(place, data)) return undefined;
    return { ...base(place, data!), kind: 'scope', steps: steps!, onFailure: onFailure!, always: always! };
  },
  wait(place) {
    const data = parse(place, STEP_SCHEMAS.wait, 'wait');
    if (data && (data.wait.duration === undefined) === (data.wait.until === undefined)) {
      problem(
        place,
        data.wait.duration === undefined ? 'needs a duration or an until' : 'has both duration and until; keep one',
        'wait',
      );
      return undefined;
    }
    if (!ok(place, data)) return undefined;
    const { duration, until } = data!.wait;
    return { ...base(place, data!), kind: 'wait', ...(duration !== undefined ? { duration } : { until }) };
  },
  approval(place) {
    const data = parse(place, STEP_SCHEMAS.approval, 'approval');
    if (!data || !ok(place, data)) return undefined;
    const { message, choices, assignees, expiresIn, defaultChoice, notify } = data.approval;
    const before = place.reading.problems.length;
    choices.forEach((choice, i) => {
      if (choices.indexOf(choice) !== i) problem(place, `the choice ${quote(choice)} is listed twice`, 'approval', 'choices', i);
    });
    if (!choices.includes(defaultChoice)) {
      const hint = didYouMean(defaultChoice, choices);
      problem(
        place,
        `${quote(defaultChoice)} is not one of the choices (${choices.join(', ')})${hint}`,
        'approval',
        'defaultChoice',
      );
    }
    if (assignees.users.length + assignees.groups.length === 0) {
      problem(place, 'needs at least one user or group who may answer', 'approval', 'assignees');
    }
    if (place.reading.problems.length > before) return undefined;
    return { ...base(place, data), kind: 'approval', message, choices, assignees, expiresIn, defaultChoice, notify };
  },
  set(place) {
    const data = parse(place, STEP_SCHEMAS.set, 'set');
    if (!ok(place, data)) return undefined;
    return { ...base(place, data!), kind: 'set', values: data!.set };
  },
  stop(place) {
    const data = parse(place, STEP_SCHEMAS.stop, 'stop');
    if (!ok(place, data)) return undefined;
    const { status, message } = data!.stop;
    return { ...base(place, data!), kind: 'stop', status, ...(message !== undefined && { message }) };
  },
};
