import { SCOPE_ROOTS, type Reference } from '../expressions/index.js';
import type { PlaybookDefinition, Step } from './definition-types.js';
import type { StepContext } from './definition-walk.js';
import { didYouMean } from './definition-problems.js';

/**
 * Checks what expressions read against the playbook: steps that exist and ran before (a step in a
 * forEach body or a parallel branch is not visible outside it; steps in earlier if/switch/scope
 * branches are, with a null output when their branch did not run), variables some `set` sets,
 * declared inputs and connections, and the loop variable and `loop`/`error` where they exist.
 */

/** A step as references see it: the step and where it sits. */
export interface Located {
  step: Step;
  context: StepContext;
}

/** What references are checked against. */
export interface ReferenceTargets {
  definition: PlaybookDefinition;
  steps: Map<string, Located>;
  variables: Set<string>;
  /** Ids that exist but could not be read (their problems are reported already). */
  brokenIds: ReadonlySet<string>;
  /** Inputs or connections could not be read: do not report names missing from them. */
  unknownInputs: boolean;
  unknownConnections: boolean;
}

const SCOPE_BRANCHES = ['scope', 'onFailure', 'always'];

/** Why `target` cannot be read from `from`, or undefined when it can. */
export function invisibility(from: Located, target: Located): string | undefined {
  const id = `step "${target.step.id}"`;
  if (target.step === from.step) return `${id} cannot read its own output`;
  if (from.context.ancestors.some((a) => a.step === target.step)) return `${id} holds this step, so its output is not ready yet`;
  if (target.context.ancestors.some((a) => a.step === from.step)) return `${id} is inside this step and has not run yet`;
  if (target.context.index > from.context.index)
    return `${id} comes later (${target.context.path}); a step can only read steps before it`;
  const mine = from.context.ancestors;
  const theirs = target.context.ancestors;
  let shared = 0;
  while (
    shared < mine.length &&
    shared < theirs.length &&
    mine[shared]!.step === theirs[shared]!.step &&
    mine[shared]!.branch === theirs[shared]!.branch
  ) {
    shared++;
  }
  let rest = theirs.slice(shared);
  const here = mine[shared];
  if (here && rest[0] && here.step === rest[0].step) {
    const container = rest[0].step;
    const where = `(${target.context.path})`;
    if (container.kind === 'parallel') return `${id} runs in another parallel branch ${where}; branches cannot read each other`;
    if (container.kind !== 'scope' || SCOPE_BRANCHES.indexOf(rest[0].branch) > SCOPE_BRANCHES.indexOf(here.branch)) {
      return `${id} is in another branch of the ${container.kind} "${container.id}" ${where}; only one of them runs`;
    }
    rest = rest.slice(1);
  }
  const hidden = rest.find((a) => a.step.kind === 'forEach' || a.step.kind === 'parallel');
  if (hidden) {
    const what = hidden.step.kind === 'forEach' ? 'forEach' : 'parallel';
    return `${id} is inside the ${what} "${hidden.step.id}"; outside it, read steps.${hidden.step.id}.output`;
  }
  return undefined;
}

function loopVariables(at: Located): Map<string, Step> {
  const names = new Map<string, Step>();
  for (const { step } of at.context.ancestors) if (step.kind === 'forEach') names.set(step.as, step);
  return names;
}

function inBranch(at: Located, kind: Step['kind'], branches: string[]): boolean {
  return at.context.ancestors.some((a) => a.step.kind === kind && branches.includes(a.branch));
}

/** Problems with one reference made from a step. */
export function referenceProblem(
  reference: Reference,
  at: Located,
  targets: ReferenceTargets,
  loops: Map<string, Located>,
): string | undefined {
  const { root, dynamic } = reference;
  const entry = reference.id ?? reference.name;
  const { definition } = targets;
  switch (root) {
    case '$':
    case 'trigger':
    case 'incident':
    case 'alert':
    case 'entity':
    case 'run':
      return undefined;
    case 'steps': {
      if (dynamic || entry === undefined || targets.brokenIds.has(entry)) return undefined;
      const target = targets.steps.get(entry);
      if (!target) return `reads steps.${entry}, but no step has the id "${entry}"${didYouMean(entry, targets.steps.keys())}`;
      const reason = invisibility(at, target);
      return reason && `reads steps.${entry}, but ${reason}`;
    }
    case 'vars':
      if (dynamic || entry === undefined || targets.variables.has(entry)) return undefined;
      return `reads vars.${entry}, but no set step sets "${entry}"${didYouMean(entry, targets.variables)}`;
    case 'inputs':
      if (dynamic || entry === undefined || targets.unknownInputs || entry in definition.inputs) return undefined;
      return `reads inputs.${entry}, but the playbook declares no input "${entry}"${didYouMean(entry, Object.keys(definition.inputs))}`;
    case 'connections':
      if (dynamic || entry === undefined || targets.unknownConnections || entry in definition.connections) return undefined;
      return `reads connections.${entry}, but "${entry}" is not declared under connections${didYouMean(entry, Object.keys(definition.connections))}`;
    case 'loop':
      return loopVariables(at).size > 0 ? undefined : 'reads loop, which exists only inside the steps of a forEach';
    case 'error':
      return inBranch(at, 'scope', ['onFailure', 'always'])
        ? undefined
        : 'reads error, which exists only in the onFailure and always steps of a scope';
  }
  if (loopVariables(at).has(root)) return undefined;
  const loop = loops.get(root);
  if (loop) return `reads ${root}, the loop variable of the forEach at ${loop.context.path}, which exists only inside its steps`;
  const known = [...SCOPE_ROOTS, ...loopVariables(at).keys()];
  return `reads ${root}, which is not a name expressions know (${known.join(', ')})${didYouMean(root, known)}`;
}
