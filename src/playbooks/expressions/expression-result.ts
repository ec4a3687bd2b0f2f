import { sandboxError } from './expression-error.js';
import { UNSAFE_KEYS } from './expression-checks.js';
import type { ExpressionLimits } from './expression-limits.js';

/**
 * Turns what an expression produced into plain JSON (plain objects and arrays, no functions, no
 * JSONata internals), refusing results past the size limits or holding keys that could pollute
 * a prototype when the engine merges them. The walk stops as soon as a limit is passed, so a
 * result built from shared references cannot make it run long.
 */

interface Budget {
  bytes: number;
  limits: ExpressionLimits;
}

/** The JSON form of a result: `undefined` for nothing; throws (a sandbox error) past a limit or on an unsafe key. */
export function toJsonResult(value: unknown, limits: ExpressionLimits): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const budget: Budget = { bytes: limits.maxResultBytes, limits };
  return copy(value, budget, 0);
}

/** The size of a value serialized as JSON, counting at most up to `max` (returns more than `max` when it is bigger). */
export function jsonSizeUpTo(value: unknown, max: number, limits: ExpressionLimits): number {
  const budget: Budget = { bytes: max, limits: { ...limits, maxResultBytes: max } };
  try {
    copy(value, budget, 0, false);
  } catch {
    return max + 1;
  }
  return max - budget.bytes;
}

function spend(budget: Budget, bytes: number): void {
  budget.bytes -= bytes;
  if (budget.bytes < 0) {
    throw sandboxError(`the result is larger than ${budget.limits.maxResultBytes} bytes (the maxResultBytes limit)`);
  }
}

function copy(value: unknown, budget: Budget, depth: number, build = true): unknown {
  switch (typeof value) {
    case 'string':
      if (value.length > budget.limits.maxStringLength) {
        throw sandboxError(`a string is longer than ${budget.limits.maxStringLength} characters (the maxStringLength limit)`);
      }
      spend(budget, value.length < 64 ? value.length + 2 : Buffer.byteLength(value, 'utf8') + 2);
      return value;
    case 'number':
      spend(budget, 8);
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      spend(budget, 5);
      return value;
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) {
    spend(budget, 4);
    return null;
  }
  if (depth >= budget.limits.maxDepth) {
    throw sandboxError(`the result is nested deeper than ${budget.limits.maxDepth} levels (the maxDepth limit)`);
  }
  if (isFunctionObject(value)) return undefined;
  if (value instanceof Date) return copy(Number.isNaN(value.getTime()) ? null : value.toISOString(), budget, depth, build);
  if (Array.isArray(value)) {
    if (value.length > budget.limits.maxArrayItems) {
      throw sandboxError(`a list has more than ${budget.limits.maxArrayItems} items (the maxArrayItems limit)`);
    }
    spend(budget, 2);
    const out: unknown[] = build ? new Array(value.length) : [];
    for (let i = 0; i < value.length; i++) {
      const item = copy(value[i], budget, depth + 1, build);
      if (build) out[i] = item === undefined ? null : item;
      spend(budget, 1);
    }
    return out;
  }
  spend(budget, 2);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (build && UNSAFE_KEYS.has(key)) throw sandboxError(`the result has the key "${key}", which is not allowed`);
    const item = copy((value as Record<string, unknown>)[key], budget, depth + 1, build);
    if (item === undefined) continue;
    spend(budget, key.length + 4);
    if (build) out[key] = item;
  }
  return out;
}

/** Whether a value is a JSONata function (a lambda or a built-in), which has no JSON form. */
export function isFunctionObject(value: object): boolean {
  const v = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return v._jsonata_lambda === true || v._jsonata_function === true;
}

/** JSONata's truth value of a result (`$boolean`): empty strings, lists and objects, 0, null and nothing are false. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length === 1 ? isTruthy(value[0]) : value.some((item) => isTruthy(item));
  switch (typeof value) {
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0 && !Number.isNaN(value);
    case 'boolean':
      return value;
    case 'object':
      return !isFunctionObject(value) && Object.keys(value).length > 0;
    default:
      return false;
  }
}
