import { describe, expect, it } from 'vitest';
import { compileExpression } from './index.js';
import { LINEAR_REGEX_ENGINE, linearRegex, MAX_REGEX_SUBJECT, spellOutCase } from './linear-regex.js';

const INPUTS = ['Hello World', 'HELLO', 'hello', 'ÄÖü straße', 'abcXYZ-09_', 'Mixed CASE 42', '\x01A', 'Zebra', 'zEbRa'];

describe('linear-time regular expressions', () => {
  it('is available on this runtime', () => {
    expect(LINEAR_REGEX_ENGINE).toBe(true);
  });

  it.each([
    'hello',
    'h[a-f]llo',
    '[^a-z]+',
    '[A-Z][a-z]+',
    '\\x41\\u0062c',
    '[\\x41-\\x5a]+',
    '(?<word>[a-z]+) (?:world)',
    '\\w+\\s\\d*',
    '[äö]+',
    'z[^e]b',
    '\\cA',
    '[a-]+x?',
    '[-b]+',
    '[c\\-]+',
  ])('spells out case-insensitivity of /%s/i without changing what it matches', (source) => {
    const native = new RegExp(source, 'gi');
    const spelled = new RegExp(spellOutCase(source), 'g');
    for (const input of INPUTS)
      expect(
        [...input.matchAll(spelled)].map((m) => m[0]),
        input,
      ).toEqual([...input.matchAll(native)].map((m) => m[0]));
  });

  it('refuses backreferences, lookarounds and large counted repetitions', () => {
    for (const source of ['(a)\\1', 'a(?=b)', '(?<!a)b', '(a{1000}){1000}'])
      expect(() => linearRegex(new RegExp(source, 'g'))).toThrow(/linear time/);
    expect(linearRegex(/(a|a)*$/gi).flags).toBe('gl');
  });

  it('matches patterns that backtrack catastrophically in microseconds, and the same as before otherwise', async () => {
    const started = Date.now();
    const evaluate = (text: string) => compileExpression(text, 'x').evaluate({ s: `${'a'.repeat(5_000)}!` });
    expect(await evaluate('$contains(s, /(a|a)*$/)')).toBe(true);
    expect(await evaluate('$count($match(s, /(a|aa)+!/).groups)')).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await compileExpression("$replace('Hello hello HELLO', /hello/i, 'bye')", 'x').evaluate({})).toBe('bye bye bye');
    expect(await compileExpression("$split('a1B2c3', /[0-9]/)", 'x').evaluate({})).toEqual(['a', 'B', 'c', '']);
  });

  it('refuses to match a text longer than the limit, naming it, and matches one at the limit', async () => {
    const evaluate = (s: string) => compileExpression('$contains(s, /a!/)', 'x').evaluate({ s });
    expect(await evaluate(`${'a'.repeat(MAX_REGEX_SUBJECT - 1)}!`)).toBe(true);
    await expect(evaluate(`${'a'.repeat(MAX_REGEX_SUBJECT)}!`)).rejects.toThrow(
      `at most ${MAX_REGEX_SUBJECT} characters; this text has ${MAX_REGEX_SUBJECT + 1}`,
    );
    // Plain-string patterns are not regular expressions and have no such limit.
    expect(await compileExpression("$contains(s, '!')", 'x').evaluate({ s: `${'a'.repeat(200_000)}!` })).toBe(true);
  });

  it('refuses, at compile time, an expression whose regular expression cannot run in linear time', () => {
    expect(() => compileExpression("$match('abab', /(ab)\\1/)", 'steps[0].with.x')).toThrow(
      /steps\[0\]\.with\.x: expression error at \d+: the regular expression \/\(ab\)\\1\/ cannot be matched in linear time/,
    );
  });
});
