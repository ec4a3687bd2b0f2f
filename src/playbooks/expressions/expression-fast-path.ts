import type { AstNode } from './expression-ast.js';
import { isFunctionObject } from './expression-result.js';

/**
 * Most playbook values are plain dotted paths (`steps.lookup.output.ip`, `incident.title`). These
 * are read directly, without JSONata, but only along plain objects: wherever JSONata's sequence
 * rules could make a difference (an array on the way, an object that is not plain), the caller
 * falls back to JSONata, so the answer is always the one JSONata would give.
 */

/** Returned when the fast path cannot be sure to answer like JSONata. */
export const FALLBACK: unique symbol = Symbol('fallback');

const PATH_KEYS = new Set(['type', 'steps']);
const STEP_KEYS = new Set(['type', 'value', 'position']);

/** The property names of a plain dotted path, or undefined when the expression is anything else. */
export function plainPath(ast: AstNode): string[] | undefined {
  if (ast.type !== 'path' || !ast.steps || !Object.keys(ast).every((key) => PATH_KEYS.has(key))) return undefined;
  const names: string[] = [];
  for (const step of ast.steps) {
    if (step.type !== 'name' || typeof step.value !== 'string') return undefined;
    if (!Object.keys(step).every((key) => STEP_KEYS.has(key))) return undefined;
    names.push(step.value);
  }
  return names.length > 0 ? names : undefined;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !isFunctionObject(value);
}

/** Reads a plain path from the scope by own properties, or FALLBACK where JSONata must decide. */
export function readPlainPath(scope: unknown, names: readonly string[]): unknown {
  let current = scope;
  for (const name of names) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (Array.isArray(current) || !isPlainObject(current)) return FALLBACK;
    if (!Object.prototype.hasOwnProperty.call(current, name)) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}
