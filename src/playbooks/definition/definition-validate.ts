import type { Reference } from '../expressions/index.js';
import type { PlaybookDefinition, Step } from './definition-types.js';
import { childPath, type PathSegment } from './definition-paths.js';
import { didYouMean, type Problem } from './definition-problems.js';
import { DEFINITION_LIMITS } from './definition-schema.js';
import { walkSteps } from './definition-walk.js';
import { actionProblems, type DefinitionCatalog } from './validate-actions.js';
import { compileStepExpressions } from './validate-expressions.js';
import { referenceProblem, type Located, type ReferenceTargets } from './validate-references.js';

/** What parsing could not read, so that validation does not report its consequences again. */
export interface ValidationHints {
  brokenIds?: ReadonlySet<string>;
  unknownInputs?: boolean;
  unknownConnections?: boolean;
  /** Where each step is written, when steps with problems were left out. */
  segments?: ReadonlyMap<Step, PathSegment[]>;
}

function collect(
  definition: PlaybookDefinition,
  segments?: ReadonlyMap<Step, PathSegment[]>,
): { located: Located[]; variables: Set<string>; loops: Map<string, Located> } {
  const located: Located[] = [];
  const variables = new Set<string>();
  const loops = new Map<string, Located>();
  walkSteps(
    definition,
    (step, _path, context) => {
      const at = { step, context };
      located.push(at);
      if (step.kind === 'set') Object.keys(step.values).forEach((name) => variables.add(name));
      if (step.kind === 'forEach' && !loops.has(step.as)) loops.set(step.as, at);
    },
    (step) => segments?.get(step),
  );
  return { located, variables, loops };
}

function limitProblems(located: Located[]): Problem[] {
  const problems: Problem[] = [];
  if (located.length > DEFINITION_LIMITS.steps) {
    problems.push({
      path: 'steps',
      message: `the playbook has ${located.length} steps; at most ${DEFINITION_LIMITS.steps} are allowed (the step limit)`,
    });
  }
  const deep = located.find(({ context }) => context.depth > DEFINITION_LIMITS.depth);
  if (deep) {
    problems.push({
      path: deep.context.path,
      message: `steps are nested more than ${DEFINITION_LIMITS.depth} levels deep (the nesting limit)`,
    });
  }
  return problems;
}

function notifyProblems(at: Located, definition: PlaybookDefinition, hints: ValidationHints): Problem[] {
  if (at.step.kind !== 'approval' || hints.unknownConnections) return [];
  const aliases = Object.keys(definition.connections);
  return (['slack', 'teams'] as const).flatMap((channel) => {
    const alias = at.step.kind === 'approval' ? at.step.notify[channel] : undefined;
    if (alias === undefined || alias in definition.connections) return [];
    return [
      {
        path: [at.context.path, 'approval', 'notify', channel].reduce((p, s) => childPath(p, s)),
        message: `the connection "${alias}" is not declared under connections${didYouMean(alias, aliases)}`,
      },
    ];
  });
}

/**
 * Checks a definition beyond its shape: expressions compile, references point at steps, variables,
 * inputs and connections that exist and are visible, actions exist and get the inputs and
 * connection they need (when a catalog is given), and the size limits. Problems come in document order.
 */
export function validatePlaybook(
  definition: PlaybookDefinition,
  catalog?: DefinitionCatalog,
  hints: ValidationHints = {},
): Problem[] {
  const { located, variables, loops } = collect(definition, hints.segments);
  const targets: ReferenceTargets = {
    definition,
    steps: new Map(located.map((at) => [at.step.id, at])),
    variables,
    brokenIds: hints.brokenIds ?? new Set(),
    unknownInputs: hints.unknownInputs ?? false,
    unknownConnections: hints.unknownConnections ?? false,
  };
  const problems = limitProblems(located);
  for (const at of located) {
    const { step, context } = at;
    if (step.kind === 'action' && catalog) {
      problems.push(...actionProblems(step, context.path, definition, catalog, targets.unknownConnections));
    }
    problems.push(...notifyProblems(at, definition, hints));
    const references: Reference[] = compileStepExpressions(step, context.path, problems);
    for (const reference of references) {
      const message = referenceProblem(reference, at, targets, loops);
      if (message) problems.push({ path: reference.path ?? context.path, message });
    }
  }
  return problems;
}
