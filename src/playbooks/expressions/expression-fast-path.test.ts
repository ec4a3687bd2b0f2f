import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import type { AstNode } from './expression-ast.js';
import { compileJsonata } from './expression-compile.js';
import { FALLBACK, plainPath, readPlainPath } from './expression-fast-path.js';
import { DEFAULT_EXPRESSION_LIMITS } from './expression-limits.js';
import { toJsonResult } from './expression-result.js';

/** The fast path must answer exactly as JSONata does, or step aside. */

function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['a', 'b', 'c'];
const PRIMITIVES = ['text', '', 0, 1.5, -3, true, false, null, undefined];

function shape(rand: () => number, depth: number): unknown {
  const r = rand();
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  if (depth <= 0 || r < 0.25) return pick(PRIMITIVES);
  if (r < 0.5) return Array.from({ length: Math.floor(rand() * 4) }, () => shape(rand, depth - 1));
  const object: Record<string, unknown> = r < 0.55 ? Object.create(null) : r < 0.58 ? { _jsonata_function: true } : {};
  if (r >= 0.58 && r < 0.6) return new Date(0);
  for (const key of KEYS) if (rand() < 0.6) object[key] = shape(rand, depth - 1);
  return object;
}

function path(rand: () => number): string[] {
  return Array.from({ length: 1 + Math.floor(rand() * 4) }, () => ['a', 'b', 'c', 'd'][Math.floor(rand() * 4)]!);
}

const normalize = (value: unknown) => toJsonResult(value, DEFAULT_EXPRESSION_LIMITS);

describe('fast path', () => {
  it('recognizes plain dotted paths only', () => {
    const names = (text: string) => plainPath(jsonata(text).ast() as AstNode);
    expect(names('steps.lookup.output.ip')).toEqual(['steps', 'lookup', 'output', 'ip']);
    expect(names('incident')).toEqual(['incident']);
    expect(names('`odd name`.x')).toEqual(['odd name', 'x']);
    for (const text of [
      'a.b[0]',
      'a.b[]',
      'a.*',
      '$.a',
      'a.b + 1',
      'a.$count(b)',
      'a{b: c}',
      'a@$x.b',
      'a#$i.b',
      '$$.a',
      '(a.b)',
      'a^(b)',
    ]) {
      expect(names(text)).toBeUndefined();
    }
  });

  it('answers like JSONata on singleton lists, nested lists, nulls, missing keys and odd objects', async () => {
    const cases: [object, string][] = [
      [{ a: [{ b: 1 }] }, 'a.b'],
      [{ a: [[{ b: 1 }], { b: 2 }] }, 'a.b'],
      [{ a: { b: [1] } }, 'a.b'],
      [{ a: { b: [] } }, 'a.b'],
      [{ a: { b: [[1, 2]] } }, 'a.b'],
      [{ a: null }, 'a.b'],
      [{ a: 'text' }, 'a.length'],
      [{ a: { b: undefined } }, 'a.b'],
      [{ a: {} }, 'a.b.c'],
      [{ a: { _jsonata_function: true, b: 1 } }, 'a.b'],
      [{ a: new Date(0) }, 'a'],
      [{ a: { b: () => 1 } }, 'a.b'],
    ];
    for (const [scope, text] of cases) {
      const expected = normalize(await jsonata(text).evaluate(scope));
      const fast = readPlainPath(scope, text.split('.'));
      if (fast !== FALLBACK) expect(normalize(fast)).toEqual(expected);
      expect(await compileJsonata(text, 'p').evaluate(scope)).toEqual(expected);
    }
  });

  it('gives the same result as JSONata on thousands of random shapes and paths', async () => {
    const rand = random(20240611);
    let answered = 0;
    let total = 0;
    for (let i = 0; i < 3000; i++) {
      const scope = { a: shape(rand, 4), b: shape(rand, 4), c: shape(rand, 3) };
      const names = path(rand);
      const text = names.join('.');
      const expected = normalize(await jsonata(text).evaluate(scope));
      const fast = readPlainPath(scope, names);
      total++;
      if (fast !== FALLBACK) {
        answered++;
        expect(normalize(fast), `${text} on ${JSON.stringify(scope)}`).toEqual(expected);
      }
      const viaFastPath = await compileJsonata(text, 'p').evaluate(scope);
      const viaJsonata = await compileJsonata(`(${text})`, 'p').evaluate(scope);
      expect(viaFastPath, text).toEqual(viaJsonata);
      expect(viaFastPath, text).toEqual(expected);
    }
    expect(answered / total).toBeGreaterThan(0.5);
  });
});
