import type jsonataType from 'jsonata';
import { lazyRequire } from '../../common/lazy-require.js';
import type { AstNode } from './expression-ast.js';
import { MARK, UNSAFE_KEYS, markNodes } from './expression-checks.js';
import { sandboxError } from './expression-error.js';
import type { ExpressionLimits } from './expression-limits.js';
import { isFunctionObject, jsonSizeUpTo } from './expression-result.js';
import { LinearRegExp } from './linear-regex.js';

/** JSONata, loaded when the first expression is compiled (not at start-up). */
const jsonata = lazyRequire<typeof jsonataType>('jsonata');

/**
 * JSONata with the sandbox around it. JSONata already reads own properties only and has no way to
 * reach the process, modules, files or the network; on top of that, each compiled expression gets:
 * - JSONata's own guardrails for time (`timeout`), recursion (`stack`) and list length (`sequence`);
 * - regular expressions on V8's linear-time engine (see linear-regex.ts), since a backtracking
 *   match cannot be interrupted by the timeout;
 * - an exit hook on every evaluated node that refuses strings and lists past the limits, functions
 *   that came from data rather than from JSONata, and objects built with prototype-polluting keys;
 * - guarded versions of the built-ins that allocate large output from small input, of `$lookup`
 *   (dynamic keys) and of `$clone` (used by the transform operator); `$eval` is removed.
 */

type NativeImplementation = (this: unknown, ...args: unknown[]) => unknown;
interface NativeFunction {
  _jsonata_function: true;
  implementation: NativeImplementation;
  signature?: unknown;
}

const EXIT_HOOK = Symbol.for('jsonata.__evaluate_exit') as unknown as string;
const regexClosures = new WeakSet<object>();

/**
 * Reads a built-in function as JSONata binds it, so a guarded version can delegate to it. JSONata
 * calls the exit hook synchronously for the first node it evaluates, before its first `await`.
 */
function builtin(name: string): NativeFunction {
  let found: unknown;
  const probe = jsonata()(`$${name}`);
  probe.assign(EXIT_HOOK, (_node: unknown, _input: unknown, _environment: unknown, result: unknown) => {
    found = result;
  });
  void probe.evaluate({});
  const native = found as NativeFunction | undefined;
  if (native?._jsonata_function !== true || typeof native.implementation !== 'function') {
    throw new Error(`this version of jsonata has no built-in $${name}`);
  }
  return native;
}

type Originals = Record<'lookup' | 'pad' | 'join' | 'string' | 'clone', NativeFunction>;
let originals: Originals | undefined;

/** The built-ins the sandbox guards, read once, when the first expression is compiled. */
function originalBuiltins(): Originals {
  return (originals ??= {
    lookup: builtin('lookup'),
    pad: builtin('pad'),
    join: builtin('join'),
    string: builtin('string'),
    clone: builtin('clone'),
  });
}

/** The same function with a check before it; parameters are spelled out because JSONata reads them for partial application. */
function guarded(original: NativeFunction, implementation: NativeImplementation): NativeFunction {
  return { ...original, implementation };
}

function guardedFunctions(limits: ExpressionLimits): Record<string, NativeFunction> {
  const ORIGINAL = originalBuiltins();
  const max = limits.maxStringLength;
  const tooLong = () => sandboxError(`a string would be longer than ${max} characters (the maxStringLength limit)`);
  return {
    eval: {
      _jsonata_function: true,
      implementation: () => {
        throw sandboxError('$eval is not available in playbook expressions');
      },
    },
    lookup: guarded(ORIGINAL.lookup, function (this: unknown, input: unknown, key: unknown) {
      if (typeof key === 'string' && UNSAFE_KEYS.has(key)) throw sandboxError(`reads "${key}", which expressions may not access`);
      return ORIGINAL.lookup.implementation.call(this, input, key);
    }),
    pad: guarded(ORIGINAL.pad, function (this: unknown, str: unknown, width: unknown, char: unknown) {
      if (typeof width === 'number' && Math.abs(width) > max) throw tooLong();
      return ORIGINAL.pad.implementation.call(this, str, width, char);
    }),
    join: guarded(ORIGINAL.join, function (this: unknown, strs: unknown, separator: unknown) {
      if (Array.isArray(strs)) {
        const between = typeof separator === 'string' ? separator.length : 0;
        let total = 0;
        for (const s of strs) total += (typeof s === 'string' ? s.length : 0) + between;
        if (total > max + between) throw tooLong();
      }
      return ORIGINAL.join.implementation.call(this, strs, separator);
    }),
    string: guarded(ORIGINAL.string, function (this: unknown, arg: unknown, prettify: unknown) {
      if (typeof arg === 'object' && arg !== null && jsonSizeUpTo(arg, max, limits) > max) throw tooLong();
      return ORIGINAL.string.implementation.call(this, arg, prettify);
    }),
    clone: guarded(ORIGINAL.clone, function (this: unknown, arg: unknown) {
      if (typeof arg === 'object' && arg !== null && jsonSizeUpTo(arg, limits.maxResultBytes, limits) > limits.maxResultBytes) {
        throw sandboxError(`the value to transform is larger than ${limits.maxResultBytes} bytes (the maxResultBytes limit)`);
      }
      return ORIGINAL.clone.implementation.call(this, arg);
    }),
  };
}

/** Whether a value about to be called (or handed to a function that calls it) is one JSONata made, not one found in data. */
function isCallableFromJsonata(value: unknown): boolean {
  if (typeof value === 'function') return typeof (value as { arity?: unknown }).arity === 'number' || regexClosures.has(value);
  if (typeof value !== 'object' || value === null || !isFunctionObject(value)) return true;
  const f = value as { implementation?: unknown; environment?: { lookup?: unknown } };
  return typeof f.implementation === 'function' || typeof f.environment?.lookup === 'function';
}

function exitHook(marks: WeakMap<object, number>, limits: ExpressionLimits) {
  const refuse = (node: AstNode, message: string) => Object.assign(sandboxError(message), { position: node.position });
  return (node: AstNode, _input: unknown, _environment: unknown, result: unknown) => {
    if (typeof result === 'string') {
      if (result.length > limits.maxStringLength) {
        throw refuse(node, `a string is longer than ${limits.maxStringLength} characters (the maxStringLength limit)`);
      }
    } else if (Array.isArray(result) && result.length > limits.maxArrayItems) {
      throw refuse(node, `a list has more than ${limits.maxArrayItems} items (the maxArrayItems limit)`);
    }
    const mark = marks.get(node);
    if (mark === undefined) return;
    if (mark & MARK.regex && typeof result === 'function') regexClosures.add(result);
    // A path's result is still a sequence here; JSONata unwraps a single item after this hook.
    const values = Array.isArray(result) ? result : [result];
    for (const value of values) {
      if (mark & MARK.callee && !isCallableFromJsonata(value)) {
        throw refuse(node, 'calls a function found in the data; expressions may only call JSONata functions');
      }
      if (mark & (MARK.update | MARK.object) && typeof value === 'object' && value !== null) {
        for (const key of Object.keys(value)) {
          if (UNSAFE_KEYS.has(key)) throw refuse(node, `builds an object with the key "${key}", which is not allowed`);
        }
      }
    }
  };
}

/** Compiles JSONata text into an expression that runs inside the sandbox with the given limits (throws JSONata's syntax errors). */
export function sandboxedJsonata(text: string, limits: ExpressionLimits): jsonataType.Expression {
  const expression = jsonata()(text, {
    timeout: limits.timeoutMs,
    stack: limits.maxDepth,
    sequence: limits.maxArrayItems,
    RegexEngine: LinearRegExp as unknown as RegExpConstructor,
  });
  expression.assign(EXIT_HOOK, exitHook(markNodes(expression.ast() as AstNode), limits));
  for (const [name, implementation] of Object.entries(guardedFunctions(limits))) expression.assign(name, implementation);
  return expression;
}
