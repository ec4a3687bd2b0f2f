import { describe, expect, it } from 'vitest';
import { ExpressionError } from './expression-error.js';
import { isTruthy } from './expression-result.js';
import { compileExpression, compileTemplate } from './template.js';
import { containsExpression, splitTemplate } from './template-syntax.js';

const scope = {
  incident: { title: 'Suspicious sign-in', severity: 'High', tags: ['vip'], owner: null },
  steps: {
    vt: { output: { data: { attributes: { last_analysis_stats: { malicious: 2 } } } } },
    accounts: { output: { entities: [{ name: 'alice' }, { name: 'bob' }] } },
  },
  vars: { count: 1, ratio: 0.1 },
  ip: { address: '10.0.0.1' },
};

const render = (value: unknown) => compileTemplate(value, 'steps[0].with').render(scope);

describe('templates', () => {
  it('gives the raw result of a value that is exactly one expression, whitespace around allowed', async () => {
    expect(await render('${{ steps.accounts.output.entities }}')).toEqual([{ name: 'alice' }, { name: 'bob' }]);
    expect(await render('  ${{ vars.count + 1 }}\n')).toBe(2);
    expect(await render('${{ incident.tags }}')).toEqual(['vip']);
    expect(await render('${{ $count(steps.accounts.output.entities) > 1 }}')).toBe(true);
    expect(await render('${{ {"ip": ip.address, "n": vars.count} }}')).toEqual({ ip: '10.0.0.1', n: 1 });
  });

  it('gives null for nothing', async () => {
    expect(await render('${{ incident.missing }}')).toBeNull();
    expect(await render('${{ incident.owner }}')).toBeNull();
    expect(await render({ a: '${{ nope }}' })).toEqual({ a: null });
  });

  it('builds a string from text and expressions', async () => {
    expect(await render('Block ${{ ip.address }}?')).toBe('Block 10.0.0.1?');
    expect(await render('${{ vars.count }}${{ vars.count }}')).toBe('11');
    expect(await render('n=${{ vars.ratio * 3 }} t=${{ incident.tags }} o=${{ incident.owner }}/${{ nope }} b=${{ true }}')).toBe(
      'n=0.3 t=["vip"] o=/ b=true',
    );
    expect(await render('who: ${{ steps.accounts.output.entities[0] }}')).toBe('who: {"name":"alice"}');
  });

  it('keeps strings without ${{ as written and walks objects and lists', async () => {
    const value = { kind: 'Ip', list: [1, 'two', { three: '${{ vars.count }}' }], deep: { flag: true, none: null } };
    const template = compileTemplate(value, 'steps[0].with');
    expect(template.isStatic).toBe(false);
    expect(await template.render(scope)).toEqual({
      kind: 'Ip',
      list: [1, 'two', { three: 1 }],
      deep: { flag: true, none: null },
    });
    const literal = compileTemplate({ a: ['b', 1, null], c: 'costs $5 {not an expression}' }, 'p');
    expect(literal.isStatic).toBe(true);
    expect(await literal.render({})).toEqual({ a: ['b', 1, null], c: 'costs $5 {not an expression}' });
  });

  it('finds the end of an expression that holds braces or "}}" in strings', async () => {
    expect(await render('${{ {"a": {"b": 1}} }}')).toEqual({ a: { b: 1 } });
    expect(await render('x${{ "}}" & "{" }}y')).toBe('x}}{y');
    expect(await render('${{ /* }} */ 1 }}')).toBe(1);
    expect(splitTemplate('a ${{ b }} c', 'p')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'expression', text: ' b ', start: 5 },
      { kind: 'text', text: ' c' },
    ]);
  });

  it('reports compile errors with the path and the position in the field', () => {
    const error = (value: unknown, path = 'steps[2].with.ip') => {
      try {
        compileTemplate(value, path);
      } catch (e) {
        return e as ExpressionError;
      }
      throw new Error('expected a compile error');
    };
    const syntax = error('IP ${{ steps.x + }}');
    expect(syntax).toBeInstanceOf(ExpressionError);
    expect(syntax.path).toBe('steps[2].with.ip');
    expect(syntax.message).toBe('steps[2].with.ip: expression error at 17: Unexpected end of expression');
    expect(syntax.position).toBe(17);
    expect(error({ a: ['ok', '${{ ( }}'] }, 'steps[1].with').path).toBe('steps[1].with.a[1]');
    expect(error({ 'odd key': '${{ ]] }}' }, 'steps[1].with').path).toBe('steps[1].with["odd key"]');
    expect(error('${{ a ').message).toBe('steps[2].with.ip: "${{" at 0 has no closing "}}"');
    expect(error('${{   }}').message).toBe('steps[2].with.ip: the expression is empty');
    expect(error(`\${{ ${'1 + '.repeat(1100)}1 }}`).message).toMatch(
      /is 4\d{3} characters long; one expression may have at most 4096 \(4 KB\)/,
    );
  });

  it('reports runtime errors with the path', async () => {
    await expect(compileTemplate({ n: '${{ incident.title + 1 }}' }, 'steps[4].with').render(scope)).rejects.toThrow(
      /^steps\[4\]\.with\.n: expression failed at \d+: The left side of the "\+" operator must evaluate to a number/,
    );
  });

  it('lists what the expressions read, with their fields', () => {
    const template = compileTemplate(
      { ip: '${{ ip.address }}', text: 'VT says ${{ steps.vt.output.data }} for ${{ vars.count }}' },
      'steps[1].with',
    );
    expect(template.references()).toEqual([
      { root: 'ip', name: 'address', position: 6, path: 'steps[1].with.ip' },
      { root: 'steps', id: 'vt', position: 17, path: 'steps[1].with.text' },
      { root: 'vars', name: 'count', position: 48, path: 'steps[1].with.text' },
    ]);
  });

  it('tells whether a value holds an expression anywhere', () => {
    expect(containsExpression({ a: [1, { b: 'x ${{ y }}' }] })).toBe(true);
    expect(containsExpression({ a: [1, { b: 'x {{ y }}' }] })).toBe(false);
  });
});

describe('expressions (if, switch, forEach, until)', () => {
  it('accepts ${{ expr }} or a bare expression', async () => {
    const wrapped = compileExpression('${{ steps.vt.output.data.attributes.last_analysis_stats.malicious > 0 }}', 'steps[3].if');
    const bare = compileExpression('steps.vt.output.data.attributes.last_analysis_stats.malicious > 0', 'steps[3].if');
    expect(await wrapped.evaluate(scope)).toBe(true);
    expect(await bare.evaluate(scope)).toBe(true);
    expect(wrapped.text.trim()).toBe(bare.text);
    expect(await compileExpression('incident.nothing', 'p').evaluate(scope)).toBeNull();
  });

  it('refuses text around the expression', () => {
    expect(() => compileExpression('x ${{ a }}', 'steps[3].if')).toThrow(
      'steps[3].if: must be a single expression, either bare or as ${{ … }}, with no text around it',
    );
  });

  it('reports positions of bare expressions from the start of the field', () => {
    expect(() => compileExpression('a and (', 'steps[3].if')).toThrow(/^steps\[3\]\.if: expression error at 7: /);
  });

  it('offers JSONata truth for conditions', () => {
    expect([[], [0], [0, 1], '', 'x', 0, 2, null, {}, { a: 1 }, false, true].map(isTruthy)).toEqual([
      false,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      false,
      true,
      false,
      true,
    ]);
  });
});
