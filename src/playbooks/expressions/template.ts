import { childPath } from '../definition/definition-paths.js';
import { compileJsonata } from './expression-compile.js';
import { ExpressionError } from './expression-error.js';
import { resolveLimits, type RenderOptions } from './expression-limits.js';
import type { Reference } from './expression-references.js';
import { UNSAFE_KEYS } from './expression-checks.js';
import { soleExpression, splitTemplate } from './template-syntax.js';

/**
 * Templates: any JSON value whose strings may hold `${{ … }}`, compiled once when a playbook
 * version loads and rendered for every step run.
 */

/** A compiled JSON value whose strings may hold expressions. */
export interface Template {
  /** True when there is no expression anywhere: `render` returns the value as written. */
  readonly isStatic: boolean;
  /** The value with every expression replaced by its result (`scope`: an ExpressionScope); throws ExpressionError. */
  render(scope: object, options?: RenderOptions): Promise<unknown>;
  /** What the expressions read at the root of the scope, each with the path of its field. */
  references(): Reference[];
}

/** An always-expression field (`if`, `switch`, `forEach`, `until`), compiled once. */
export interface CompiledExpression {
  readonly path: string;
  /** The JSONata text (without `${{ }}`). */
  readonly text: string;
  /** The result as JSON; nothing becomes null. Throws ExpressionError. */
  evaluate(scope: object, options?: RenderOptions): Promise<unknown>;
  references(): Reference[];
}

type Run = (scope: object, options: RenderOptions | undefined) => unknown;

interface Node {
  isStatic: boolean;
  run: Run;
  references: Reference[];
}

const staticNode = (value: unknown): Node => ({ isStatic: true, run: () => value, references: [] });

/** Text form of a result inside a longer string: JSON for objects and lists, nothing for null. */
function interpolate(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(Number.isInteger(value) ? value : Number(value.toPrecision(15)));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function compileString(value: string, path: string): Node {
  if (!value.includes('${{')) return staticNode(value);
  const parts = splitTemplate(value, path);
  const sole = soleExpression(parts);
  if (sole) {
    const expression = compileJsonata(sole.text, path, sole.start);
    return {
      isStatic: false,
      run: async (scope, options) => (await expression.evaluate(scope, options)) ?? null,
      references: expression.references(),
    };
  }
  const compiled = parts.map((part) => (part.kind === 'text' ? part.text : compileJsonata(part.text, path, part.start)));
  return {
    isStatic: false,
    run: async (scope, options) => {
      let text = '';
      for (const part of compiled) text += typeof part === 'string' ? part : interpolate(await part.evaluate(scope, options));
      const max = resolveLimits(options).maxStringLength;
      if (text.length > max) {
        throw new ExpressionError(path, `the text is longer than ${max} characters (the maxStringLength limit)`);
      }
      return text;
    },
    references: compiled.flatMap((part) => (typeof part === 'string' ? [] : part.references())),
  };
}

function compileNode(value: unknown, path: string): Node {
  if (typeof value === 'string') return compileString(value, path);
  if (Array.isArray(value)) {
    const items = value.map((item, index) => compileNode(item, childPath(path, index)));
    if (items.every((item) => item.isStatic)) return staticNode(value);
    return {
      isStatic: false,
      run: async (scope, options) => {
        const out: unknown[] = [];
        for (const item of items) out.push(await item.run(scope, options));
        return out;
      },
      references: items.flatMap((item) => item.references),
    };
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => {
      if (UNSAFE_KEYS.has(key)) throw new ExpressionError(childPath(path, key), `the key "${key}" is not allowed`);
      return [key, compileNode(item, childPath(path, key))] as const;
    });
    if (entries.every(([, item]) => item.isStatic)) return staticNode(value);
    return {
      isStatic: false,
      run: async (scope, options) => {
        const out: Record<string, unknown> = {};
        for (const [key, item] of entries) out[key] = await item.run(scope, options);
        return out;
      },
      references: entries.flatMap(([, item]) => item.references),
    };
  }
  return staticNode(value);
}

/** Compiles any JSON value whose strings may hold `${{ … }}`; `path` names it in errors. Throws ExpressionError. */
export function compileTemplate(value: unknown, path: string): Template {
  const node = compileNode(value, path);
  return {
    isStatic: node.isStatic,
    render: async (scope, options) => node.run(scope, options),
    references: () => node.references.map((reference) => ({ ...reference })),
  };
}

/** Compiles a field that is always an expression: `${{ expr }}` or the bare expression. Throws ExpressionError. */
export function compileExpression(text: string, path: string): CompiledExpression {
  let source = text;
  let offset = 0;
  if (text.includes('${{')) {
    const sole = soleExpression(splitTemplate(text, path));
    if (!sole) throw new ExpressionError(path, 'must be a single expression, either bare or as ${{ … }}, with no text around it');
    source = sole.text;
    offset = sole.start;
  }
  const expression = compileJsonata(source, path, offset);
  return {
    path,
    text: source,
    evaluate: async (scope, options) => (await expression.evaluate(scope, options)) ?? null,
    references: () => expression.references(),
  };
}
