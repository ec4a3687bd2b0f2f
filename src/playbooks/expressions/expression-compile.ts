import type jsonata from 'jsonata';
import type { AstNode } from './expression-ast.js';
import { findUnsafeConstruct } from './expression-checks.js';
import { ExpressionError } from './expression-error.js';
import { FALLBACK, plainPath, readPlainPath } from './expression-fast-path.js';
import {
  DEFAULT_EXPRESSION_LIMITS,
  MAX_EXPRESSION_LENGTH,
  limitsKey,
  resolveLimits,
  type ExpressionLimits,
  type RenderOptions,
} from './expression-limits.js';
import { collectReferences, type Reference } from './expression-references.js';
import { toJsonResult } from './expression-result.js';
import { sandboxedJsonata } from './expression-sandbox.js';

/** One JSONata expression, compiled once and evaluated many times inside the sandbox. */
export interface CompiledJsonata {
  /** The JSONata text (without `${{ }}`). */
  readonly text: string;
  /** The result as JSON (`undefined` when the expression yields nothing) against an ExpressionScope; throws ExpressionError. */
  evaluate(scope: object, options?: RenderOptions): Promise<unknown>;
  /** What it reads at the root of the scope. */
  references(): Reference[];
}

const DEFAULT_KEY = limitsKey(DEFAULT_EXPRESSION_LIMITS);

const LIMIT_MESSAGES: Record<string, (limits: ExpressionLimits) => string> = {
  D1012: (l) => `it ran longer than ${l.timeoutMs} ms (the timeoutMs limit); look for an endless loop`,
  D1011: (l) => `it nested deeper than ${l.maxDepth} levels (the maxDepth limit); look for endless recursion`,
  D2014: (l) => `a list has more than ${l.maxArrayItems} items (the maxArrayItems limit)`,
  D2015: (l) => `a list has more than ${l.maxArrayItems} items (the maxArrayItems limit)`,
};

interface JsonataFailure {
  code?: unknown;
  message?: unknown;
  position?: unknown;
}

function failure(error: unknown): { message: string; position?: number; code?: string } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as JsonataFailure;
  return {
    message: typeof e.message === 'string' && e.message ? e.message : String(error),
    position: typeof e.position === 'number' ? e.position : undefined,
    code: typeof e.code === 'string' ? e.code : undefined,
  };
}

function runtimeError(path: string, offset: number, error: unknown, limits: ExpressionLimits): ExpressionError {
  const { message, position, code } = failure(error);
  const reason = (code && LIMIT_MESSAGES[code]?.(limits)) || message;
  const at = position !== undefined ? offset + position : undefined;
  return new ExpressionError(path, `expression failed${at !== undefined ? ` at ${at}` : ''}: ${reason}`, at);
}

/** Compiles one JSONata expression found at `path` (starting at `offset` in the field's text); throws ExpressionError. */
export function compileJsonata(text: string, path: string, offset = 0): CompiledJsonata {
  if (text.trim() === '') throw new ExpressionError(path, 'the expression is empty', offset);
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      path,
      `the expression is ${text.length} characters long; one expression may have at most ${MAX_EXPRESSION_LENGTH} (4 KB)`,
      offset,
    );
  }
  const instances = new Map<string, jsonata.Expression>();
  let ast: AstNode;
  try {
    const instance = sandboxedJsonata(text, DEFAULT_EXPRESSION_LIMITS);
    instances.set(DEFAULT_KEY, instance);
    ast = instance.ast() as AstNode;
  } catch (error) {
    const { message, position } = failure(error);
    const at = offset + (position ?? 0);
    throw new ExpressionError(path, `expression error at ${at}: ${message}`, at);
  }
  const unsafe = findUnsafeConstruct(ast);
  if (unsafe) {
    const at = offset + unsafe.position;
    throw new ExpressionError(path, `expression error at ${at}: ${unsafe.message}`, at);
  }
  const fastPath = plainPath(ast);
  let references: Reference[] | undefined;

  const instanceFor = (limits: ExpressionLimits, key: string) => {
    let instance = instances.get(key);
    if (!instance) {
      instance = sandboxedJsonata(text, limits);
      instances.set(key, instance);
    }
    return instance;
  };

  const finish = (value: unknown, limits: ExpressionLimits) => {
    try {
      return toJsonResult(value, limits);
    } catch (error) {
      throw runtimeError(path, offset, error, limits);
    }
  };

  return {
    text,
    async evaluate(scope, options) {
      const limits = resolveLimits(options);
      if (fastPath) {
        const value = readPlainPath(scope, fastPath);
        if (value !== FALLBACK) return finish(value, limits);
      }
      const instance = instanceFor(limits, options ? limitsKey(limits) : DEFAULT_KEY);
      let value: unknown;
      try {
        value = await instance.evaluate(scope);
      } catch (error) {
        throw runtimeError(path, offset, error, limits);
      }
      return finish(value, limits);
    },
    references() {
      references ??= collectReferences(ast, offset);
      return references.map((reference) => ({ ...reference, path }));
    },
  };
}
