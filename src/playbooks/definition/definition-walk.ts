import type { PlaybookDefinition, Step } from './definition-types.js';
import { formatPath, type PathSegment } from './definition-paths.js';

/** Walking a definition's steps in document order, with the paths authors see (`steps[3].then[0]`). */

/** A list of steps held by a control step, with its segments below the step (`['then']`, `['cases', 'High']`). */
export interface StepBranch {
  /** Names the branch within its step: `then`, `else`, `cases.High`, `default`, `steps`, `parallel[1].steps`, `scope`, `onFailure`, `always`. */
  name: string;
  segments: PathSegment[];
  steps: Step[];
}

/** Where a step sits: its path, its depth (1 at the top) and the control steps and branches holding it. */
export interface StepContext {
  path: string;
  segments: PathSegment[];
  depth: number;
  /** Position in document order (0 for the first step). */
  index: number;
  /** Outermost first. */
  ancestors: { step: Step; branch: string }[];
}

/** The step lists a step holds, in document order (none for action, wait, approval, set and stop). */
export function stepBranches(step: Step): StepBranch[] {
  const branch = (segments: PathSegment[], steps: Step[]): StepBranch => ({ name: formatPath(segments), segments, steps });
  switch (step.kind) {
    case 'if':
      return [branch(['then'], step.then), branch(['else'], step.else)];
    case 'switch':
      return [...step.cases.map((c) => branch(['cases', c.value], c.steps)), branch(['default'], step.default)];
    case 'forEach':
      return [branch(['steps'], step.steps)];
    case 'parallel':
      return step.branches.map((b, i) => branch(['parallel', i, 'steps'], b.steps));
    case 'scope':
      return [branch(['scope'], step.steps), branch(['onFailure'], step.onFailure), branch(['always'], step.always)];
    default:
      return [];
  }
}

/**
 * Calls `visit` for every step, parents before children, in document order. `segmentsOf` gives
 * where a step is written when that differs from its position (steps with problems left out).
 */
export function walkSteps(
  definition: Pick<PlaybookDefinition, 'steps'>,
  visit: (step: Step, path: string, context: StepContext) => void,
  segmentsOf?: (step: Step) => PathSegment[] | undefined,
): void {
  let index = 0;
  const walk = (steps: Step[], base: PathSegment[], depth: number, ancestors: StepContext['ancestors']) => {
    steps.forEach((step, i) => {
      const segments = segmentsOf?.(step) ?? [...base, i];
      const path = formatPath(segments);
      visit(step, path, { path, segments, depth, index: index++, ancestors });
      for (const branch of stepBranches(step)) {
        walk(branch.steps, [...segments, ...branch.segments], depth + 1, [...ancestors, { step, branch: branch.name }]);
      }
    });
  };
  walk(definition.steps, ['steps'], 1, []);
}
