import { ExpressionError, compileExpression, compileTemplate, type Reference } from '../expressions/index.js';
import type { Step } from './definition-types.js';
import { childPath } from './definition-paths.js';
import type { Problem } from './definition-problems.js';

/** Compiles every expression and template of a step, reporting compile errors, and returns what they read. */

interface Field {
  path: string;
  compile: () => { references(): Reference[] };
}

function templates(value: Record<string, unknown> | unknown[], path: string): Field[] {
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.map(([key, item]) => {
    const at = childPath(path, key);
    return { path: at, compile: () => compileTemplate(item, at) };
  });
}

function expression(text: string, path: string): Field {
  return { path, compile: () => compileExpression(text, path) };
}

/** The fields of a step that hold expressions, in document order. */
function expressionFields(step: Step, path: string): Field[] {
  const at = (...segments: string[]) => segments.reduce(childPath, path);
  switch (step.kind) {
    case 'action':
      return templates(step.with, at('with'));
    case 'if':
      return [expression(step.condition, at('if'))];
    case 'switch':
      return [expression(step.value, at('switch'))];
    case 'forEach':
      return typeof step.items === 'string' ? [expression(step.items, at('forEach'))] : templates(step.items, at('forEach'));
    case 'wait':
      return step.until !== undefined ? [expression(step.until, at('wait', 'until'))] : [];
    case 'approval':
      return [
        ...templates({ message: step.message }, at('approval')),
        ...templates(step.assignees.users, at('approval', 'assignees', 'users')),
        ...templates(step.assignees.groups, at('approval', 'assignees', 'groups')),
      ];
    case 'set':
      return templates(step.values, at('set'));
    case 'stop':
      return step.message !== undefined ? templates({ message: step.message }, at('stop')) : [];
    default:
      return [];
  }
}

/** Compiles a step's expressions; compile errors become problems, and the references of the others are returned. */
export function compileStepExpressions(step: Step, path: string, problems: Problem[]): Reference[] {
  const references: Reference[] = [];
  for (const field of expressionFields(step, path)) {
    try {
      references.push(...field.compile().references());
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problems.push({ path: error.path, message: error.reason });
    }
  }
  return references;
}
