import { createHash } from 'node:crypto';

/**
 * A small evaluator of ARM template expressions (`"[concat(parameters('ws'), '/x')]"`), enough for
 * templates that deploy automation rules: parameters() (supplied value, else defaultValue),
 * variables(), concat(), format(), toLower(), toUpper(), resourceId(), uniqueString() and guid()
 * (deterministic, not Azure's exact hashes), subscription() and resourceGroup() (placeholders),
 * true(), false(), string literals with doubled quotes, numbers, `.property` and `[index]`.
 * Anything else evaluates to an {@link Unresolved} marker with the reason, never to a guess.
 */

/** A value an expression could not produce: the expression and why. */
export class Unresolved {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {}
}

/** What expressions are evaluated against. */
export interface ArmContext {
  parameters: Record<string, { value?: unknown; defaultValue?: unknown; hasValue: boolean }>;
  variables: Record<string, unknown>;
  subscriptionId: string;
  resourceGroup: string;
  /** Parameters supplied that the template does not declare. */
  undeclared: string[];
}

class EvalError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Unwraps supplied parameters given as `{ name: value }`, `{ name: { value } }` or a parameters file `{ parameters: {…} }`. */
export function suppliedParameters(input: unknown): Record<string, unknown> {
  if (!isObject(input)) return {};
  const source = isObject(input.parameters) && ('$schema' in input || 'contentVersion' in input) ? input.parameters : input;
  return Object.fromEntries(
    Object.entries(source).map(([k, v]) => [k, isObject(v) && Object.keys(v).length === 1 && 'value' in v ? v.value : v]),
  );
}

function coerce(value: unknown, type: unknown): unknown {
  if (typeof value !== 'string' || typeof type !== 'string') return value;
  const t = type.toLowerCase();
  if (t === 'int' && /^-?\d+$/.test(value.trim())) return Number(value);
  if (t === 'bool' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  if ((t === 'array' || t === 'object') && /^[[{]/.test(value.trim())) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

/** Builds the context of a template: its declared parameters with the supplied values, and its variables. */
export function armContext(template: Record<string, unknown>, supplied: Record<string, unknown> = {}): ArmContext {
  const declared = isObject(template.parameters) ? template.parameters : {};
  const parameters: ArmContext['parameters'] = {};
  for (const [name, decl] of Object.entries(declared)) {
    const d = isObject(decl) ? decl : {};
    const key = Object.keys(supplied).find((k) => k.toLowerCase() === name.toLowerCase());
    const entry: ArmContext['parameters'][string] = {
      hasValue: key !== undefined || 'defaultValue' in d,
      defaultValue: d.defaultValue,
    };
    if (key !== undefined) entry.value = coerce(supplied[key], d.type);
    parameters[name.toLowerCase()] = entry;
  }
  const undeclared = Object.keys(supplied).filter((k) => !(k.toLowerCase() in parameters));
  const variables = isObject(template.variables)
    ? Object.fromEntries(Object.entries(template.variables).map(([k, v]) => [k.toLowerCase(), v]))
    : {};
  return {
    parameters,
    variables,
    subscriptionId: '00000000-0000-0000-0000-000000000000',
    resourceGroup: 'resourceGroup',
    undeclared,
  };
}

/** Whether a string is an ARM expression (`[…]`, not the `[[` escape). */
export const isArmExpression = (text: string) => text.startsWith('[') && text.endsWith(']') && !text.startsWith('[[');

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const hash = (algorithm: string, parts: unknown[]) =>
  createHash(algorithm)
    .update(parts.map((p) => String(p)).join('\u0000'))
    .digest();

/** A deterministic 13-character id from the arguments (ARM's uniqueString() has the same form). */
export function uniqueString(...parts: unknown[]): string {
  const bytes = hash('sha256', parts);
  let out = '';
  for (let i = 0; i < 13; i++) out += BASE32[bytes[i]! % 32];
  return out;
}

/** A deterministic GUID from the arguments (as ARM's guid() is). */
export function guid(...parts: unknown[]): string {
  const h = hash('sha1', parts).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Token = { kind: 'ident' | 'string' | 'number' | 'punct'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) i++;
    else if (c === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= source.length) throw new EvalError('a string literal is not closed');
        if (source[i] === "'" && source[i + 1] === "'") ((text += "'"), (i += 2));
        else if (source[i] === "'") break;
        else text += source[i++];
      }
      i++;
      tokens.push({ kind: 'string', text });
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*/.exec(source.slice(i))![0];
      (tokens.push({ kind: 'ident', text: m }), (i += m.length));
    } else if (/[-\d]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(source.slice(i))?.[0];
      if (!m) throw new EvalError(`unexpected "${c}"`);
      (tokens.push({ kind: 'number', text: m }), (i += m.length));
    } else if ('(),.[]'.includes(c)) (tokens.push({ kind: 'punct', text: c }), i++);
    else throw new EvalError(`unexpected "${c}"`);
  }
  return tokens;
}

type Fn = (args: unknown[], ctx: ArmContext, stack: string[]) => unknown;
const str = (v: unknown, fn: string) => {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new EvalError(`${fn}() needs strings`);
};

const FUNCTIONS: Record<string, Fn> = {
  parameters: ([name], ctx, stack) => {
    const p = ctx.parameters[str(name, 'parameters').toLowerCase()];
    if (!p) throw new EvalError(`the template declares no parameter ${JSON.stringify(name)}`);
    if (!p.hasValue) throw new EvalError(`parameter ${JSON.stringify(name)} has no value and no defaultValue: supply it`);
    return 'value' in p ? p.value : evaluateDeep(p.defaultValue, ctx, [...stack, `parameters('${name}')`]);
  },
  variables: ([name], ctx, stack) => {
    const key = str(name, 'variables').toLowerCase();
    if (!(key in ctx.variables)) throw new EvalError(`the template declares no variable ${JSON.stringify(name)}`);
    if (stack.includes(`variables('${key}')`)) throw new EvalError(`variable ${JSON.stringify(name)} refers to itself`);
    return evaluateDeep(ctx.variables[key], ctx, [...stack, `variables('${key}')`]);
  },
  concat: (args) => (args.every(Array.isArray) && args.length > 0 ? args.flat() : args.map((a) => str(a, 'concat')).join('')),
  format: ([fmt, ...args]) =>
    str(fmt, 'format').replace(/\{(\d+)(:[^}]*)?\}/g, (_, i: string) => {
      if (Number(i) >= args.length) throw new EvalError(`format() has no argument {${i}}`);
      return str(args[Number(i)], 'format');
    }),
  tolower: ([s]) => str(s, 'toLower').toLowerCase(),
  toupper: ([s]) => str(s, 'toUpper').toUpperCase(),
  uniquestring: (args) => uniqueString(...args.map((a) => str(a, 'uniqueString'))),
  guid: (args) => guid(...args.map((a) => str(a, 'guid'))),
  true: () => true,
  false: () => false,
  subscription: (_, ctx) => ({
    id: `/subscriptions/${ctx.subscriptionId}`,
    subscriptionId: ctx.subscriptionId,
    displayName: 'subscription',
  }),
  resourcegroup: (_, ctx) => ({
    id: `/subscriptions/${ctx.subscriptionId}/resourceGroups/${ctx.resourceGroup}`,
    name: ctx.resourceGroup,
  }),
  resourceid: (raw, ctx) => {
    const args = raw.map((a) => str(a, 'resourceId'));
    const at = args.findIndex((a) => a.includes('/'));
    if (at < 0 || at > 2) throw new EvalError('resourceId() needs a resource type such as Microsoft.X/things');
    const [sub, rg] = at === 2 ? args : at === 1 ? [ctx.subscriptionId, args[0]] : [ctx.subscriptionId, ctx.resourceGroup];
    const [namespace, ...types] = args[at]!.split('/');
    const names = args.slice(at + 1);
    if (types.length !== names.length)
      throw new EvalError(`resourceId() got ${names.length} name(s) for the ${types.length} type segment(s) of ${args[at]}`);
    const path = types.map((t, i) => `${t}/${names[i]}`).join('/');
    return `/subscriptions/${sub}/resourceGroups/${rg}/providers/${namespace}/${path}`;
  },
};

function parseAndRun(source: string, ctx: ArmContext, stack: string[]): unknown {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (text: string) => {
    if (peek()?.text !== text || peek()?.kind !== 'punct') throw new EvalError(`expected "${text}"`);
    pos++;
  };
  const expression = (): unknown => {
    const token = tokens[pos++];
    if (!token) throw new EvalError('the expression ends too early');
    let value: unknown;
    if (token.kind === 'string') value = token.text;
    else if (token.kind === 'number') value = Number(token.text);
    else if (token.kind === 'ident') {
      expect('(');
      const args: unknown[] = [];
      while (peek()?.text !== ')') {
        args.push(expression());
        if (peek()?.text === ',') pos++;
        else if (peek()?.text !== ')') throw new EvalError('expected "," or ")"');
      }
      pos++;
      const fn = FUNCTIONS[token.text.toLowerCase()];
      if (!fn) throw new EvalError(`the function ${token.text}() is not supported`);
      value = fn(args, ctx, stack);
    } else throw new EvalError(`unexpected "${token.text}"`);
    for (;;) {
      if (peek()?.text === '.' && peek()?.kind === 'punct') {
        pos++;
        const name = tokens[pos++];
        if (name?.kind !== 'ident') throw new EvalError('expected a property name after "."');
        value = member(value, name.text);
      } else if (peek()?.text === '[' && peek()?.kind === 'punct') {
        pos++;
        const index = expression();
        expect(']');
        value = member(value, index);
      } else return value;
    }
  };
  const result = expression();
  if (pos !== tokens.length) throw new EvalError(`unexpected "${tokens[pos]!.text}"`);
  return result;
}

function member(value: unknown, key: unknown): unknown {
  if (Array.isArray(value) && typeof key === 'number' && key >= 0 && key < value.length) return value[key];
  if (isObject(value) && typeof key === 'string') {
    const found = Object.keys(value).find((k) => k.toLowerCase() === key.toLowerCase());
    if (found !== undefined) return value[found];
  }
  throw new EvalError(`no property ${JSON.stringify(key)}`);
}

function evaluateDeep(value: unknown, ctx: ArmContext, stack: string[]): unknown {
  if (stack.length > 32) throw new EvalError('expressions nest too deeply');
  if (typeof value === 'string') {
    if (value.startsWith('[[')) return value.slice(1);
    return isArmExpression(value) ? parseAndRun(value.slice(1, -1), ctx, stack) : value;
  }
  if (Array.isArray(value)) return value.map((v) => evaluateDeep(v, ctx, stack));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateDeep(v, ctx, stack)]));
  return value;
}

/** Evaluates one string: an expression's value, the literal text, or {@link Unresolved}. */
export function evaluateArmString(text: string, ctx: ArmContext): unknown {
  try {
    return evaluateDeep(text, ctx, []);
  } catch (error) {
    if (error instanceof EvalError) return new Unresolved(text, error.message);
    throw error;
  }
}

/** Resolves every expression in a value; each that fails becomes {@link Unresolved} and is reported with its path. */
export function resolveArmValue(
  value: unknown,
  ctx: ArmContext,
  path: string,
  problems: { path: string; message: string }[],
): unknown {
  if (typeof value === 'string') {
    const result = evaluateArmString(value, ctx);
    if (result instanceof Unresolved)
      problems.push({ path, message: `could not resolve ${result.expression}: ${result.reason}` });
    return result;
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveArmValue(v, ctx, `${path}[${i}]`, problems));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveArmValue(v, ctx, `${path}.${k}`, problems)]));
  return value;
}

/** A resource of a template with its expressions resolved; `unresolved` lists each that could not be. */
export interface TemplateResource {
  path: string;
  type: string;
  name: unknown;
  properties: unknown;
  unresolved: { path: string; message: string }[];
}

/**
 * The resources of a template whose type matches, with expressions resolved against the supplied
 * parameters (or their defaults), nested deployments (`Microsoft.Resources/deployments` with an
 * inline template) included. Other resources are listed in `ignored`.
 */
export function templateResources(
  template: Record<string, unknown>,
  supplied: unknown,
  wanted: RegExp,
  path = 'document',
): { resources: TemplateResource[]; ignored: { path: string; message: string }[] } {
  const ctx = armContext(template, suppliedParameters(supplied));
  const ignored = ctx.undeclared.map((name) => ({
    path: `parameters.${name}`,
    message: 'the template declares no such parameter; ignored',
  }));
  const resources: TemplateResource[] = [];
  const walk = (t: Record<string, unknown>, at: string, c: ArmContext) => {
    (Array.isArray(t.resources) ? t.resources : []).forEach((r: unknown, i) => {
      const here = `${at}.resources[${i}]`;
      const res = isObject(r) ? r : {};
      const type = typeof res.type === 'string' ? res.type : '';
      const props = isObject(res.properties) ? res.properties : undefined;
      if (wanted.test(type)) {
        const unresolved: TemplateResource['unresolved'] = [];
        const properties = resolveArmValue(res.properties, c, `${here}.properties`, unresolved);
        const name = resolveArmValue(res.name, c, `${here}.name`, unresolved);
        resources.push({ path: here, type, name, properties, unresolved });
      } else if (/^Microsoft\.Resources\/deployments$/i.test(type) && props && isObject(props.template)) {
        // A nested template: its parameters are values computed in the outer one.
        const given = resolveArmValue(props.parameters ?? {}, c, `${here}.properties.parameters`, []);
        walk(props.template, `${here}.properties.template`, armContext(props.template, suppliedParameters(given)));
      } else ignored.push({ path: here, message: `${type || 'a resource without a type'} is not an automation rule; ignored` });
    });
  };
  walk(template, path, ctx);
  return { resources, ignored };
}
