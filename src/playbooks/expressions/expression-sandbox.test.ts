import { afterEach, describe, expect, it } from 'vitest';
import { nestsRepetition } from './expression-checks.js';
import { compileExpression, compileTemplate } from './template.js';
import { ExpressionError } from './expression-error.js';
import { DEFAULT_EXPRESSION_LIMITS, type RenderOptions } from './expression-limits.js';
import { sandboxedJsonata } from './expression-sandbox.js';

/** Hostile expressions: each must fail with a clear message and leave the process untouched. */

const payload = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
let called = false;
const scope = () => ({
  trigger: { payload, list: [{ name: '__proto__', value: { polluted: true } }] },
  incident: { title: 'Suspicious sign-in', tags: ['a'] },
  steps: {
    x: {
      output: {
        fn: () => {
          called = true;
          return process.env;
        },
        forgedLambda: { _jsonata_lambda: true, arguments: [], body: { type: 'variable', value: '' }, environment: {} },
        forgedFunction: { _jsonata_function: true, implementation: 'process.exit', signature: {} },
      },
    },
  },
  vars: {},
});

async function failure(text: string, options?: RenderOptions): Promise<ExpressionError> {
  const error = await compileExpression(text, 'steps[0].with.x')
    .evaluate(scope(), options)
    .then(
      (value) => new Error(`expected a failure, got ${JSON.stringify(value)}`),
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(ExpressionError);
  return error as ExpressionError;
}

function compileFailure(text: string): ExpressionError {
  try {
    compileExpression(text, 'steps[0].with.x');
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error(`expected ${text} not to compile`);
}

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  const wasCalled = called;
  called = false;
  expect(wasCalled).toBe(false);
});

describe('no way out of the data', () => {
  it.each([
    'incident.constructor',
    'incident.__proto__',
    'incident.`__proto__`.x',
    '$string.prototype',
    '(function(){1}).constructor',
  ])('refuses to read %s when it compiles', (text) => {
    expect(compileFailure(text).message).toMatch(
      /^steps\[0\]\.with\.x: expression error at \d+: reads "(constructor|__proto__|prototype)"/,
    );
  });

  it('refuses unsafe keys given to $lookup, literally or computed', async () => {
    expect(compileFailure('$lookup(incident, "constructor")').message).toContain('reads "constructor"');
    expect((await failure('$lookup(incident, "con" & "structor")')).message).toContain('reads "constructor"');
    expect(await compileExpression('$lookup(incident, "ti" & "tle")', 'p').evaluate(scope())).toBe('Suspicious sign-in');
  });

  it('has no $eval, by name or through a variable, and the built-in is replaced anyway', async () => {
    expect(compileFailure('$eval("1 + 1")').message).toContain('$eval is not available');
    expect(compileFailure('($e := $eval; $e("1"))').message).toContain('$eval is not available');
    const unchecked = sandboxedJsonata('$eval("$$")', DEFAULT_EXPRESSION_LIMITS);
    await expect(unchecked.evaluate({})).rejects.toThrow('$eval is not available');
  });

  it.each([
    '$require("fs")',
    '$process.exit(1)',
    'process.mainModule.require("fs")',
    '$import("fs")',
    '$function("return process")()',
  ])('cannot reach modules or the process: %s', async (text) => {
    const error = await compileExpression(text, 'p')
      .evaluate(scope())
      .then(
        (value) => value,
        (e: Error) => e,
      );
    expect(error instanceof ExpressionError || error === null).toBe(true);
  });

  it.each([
    'steps.x.output.fn()',
    '($f := steps.x.output.fn; $f())',
    '$map([1], steps.x.output.fn)',
    '$each(steps.x.output, function($v) { $v() })',
    '$lookup(steps.x.output, "fn")()',
    '1 ~> steps.x.output.fn',
    'steps.x.output.*[0]()',
    'steps.x.output.forgedLambda()',
    'steps.x.output.forgedFunction("x")',
    '$sort([2, 1], steps.x.output.forgedLambda)',
  ])('refuses to call a function found in the data: %s', async (text) => {
    expect((await failure(text)).message).toMatch(/function found in the data|Attempted to invoke a non-function/);
  });

  it('still calls JSONata functions: lambdas, built-ins, closures, partials, regexes, transforms', async () => {
    const cases: [string, unknown][] = [
      ['$map([1, 2], function($v) { $v * 2 })', [2, 4]],
      ['($twice := function($f, $x) { $f($f($x)) }; $twice(function($n) { $n + 1 }, 1))', 3],
      ['$map(["a", "b"], $uppercase)', ['A', 'B']],
      ['($p := $substring(?, 0, 3); $p("abcdef"))', 'abc'],
      ['$pad(?, 4)("ab")', 'ab  '],
      ['$match("a1b22", /[0-9]+/).match', ['1', '22']],
      ['$replace("a-b", /-/, "+")', 'a+b'],
      ['incident ~> | $ | {"title": "x"}, ["tags"] |', { title: 'x' }],
      ['incident.title ~> $uppercase()', 'SUSPICIOUS SIGN-IN'],
      ['$sort([3, 1, 2], function($a, $b) { $a > $b })', [1, 2, 3]],
    ];
    for (const [text, expected] of cases) expect(await compileExpression(text, 'p').evaluate(scope())).toEqual(expected);
  });
});

describe('no prototype pollution', () => {
  it('refuses literal __proto__, constructor and prototype keys in objects and transforms', () => {
    expect(compileFailure('$ ~> | $ | {"__proto__": {"polluted": true}} |').message).toContain('the key "__proto__"');
    expect(compileFailure('{"constructor": {"prototype": {"polluted": true}}}').message).toContain('the key "constructor"');
    expect(compileFailure('incident{"prototype": title}').message).toContain('the key "prototype"');
  });

  it.each([
    'incident ~> | $ | {"__pro" & "to__": {"polluted": true}} |',
    'incident ~> | $ | $$.trigger.payload |',
    '{"__pro" & "to__": {"polluted": true}}',
    'trigger.list{name: value}',
    '$merge([{"a": 1}, trigger.payload])',
    '$spread(trigger.payload)',
    '$sift(trigger.payload, function() { true })',
    'trigger.payload',
    '$merge([trigger.payload]) ~> | $ | {} |',
  ])('refuses %s', async (text) => {
    expect((await failure(text)).message).toMatch(/key "(__proto__|constructor)"/);
  });

  it('refuses such keys in templates themselves', () => {
    expect(() => compileTemplate(JSON.parse('{"a": {"__proto__": {"polluted": "${{ 1 }}"}}}'), 'steps[0].with')).toThrow(
      'steps[0].with.a.__proto__: the key "__proto__" is not allowed',
    );
  });
});

describe('bounded time', () => {
  it.each([
    ['endless tail recursion', '($f := function($x) { $f($x) }; $f(1))', /ran longer than 100 ms \(the timeoutMs limit\)/],
    ['endless recursion', '($f := function($x) { 1 + $f($x) }; $f(1))', /nested deeper than 1000 levels \(the maxDepth limit\)/],
    ['a huge range', '[1..10000000].($ * 2)', /more than 100000 items \(the maxArrayItems limit\)/],
    ['a range past JSONata’s own bound', '[1..1000000000]', /more than 100000 items/],
    ['a long loop', '$reduce([1..99999], function($a, $b) { $a + $count([1..50].($ * $b)) }, 0)', /timeoutMs/],
  ])('stops %s within the bound', async (_name, text, message) => {
    const started = Date.now();
    expect((await failure(text)).message).toMatch(message);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('takes the bounds from the options', async () => {
    expect((await failure('($f := function($x) { $f($x) }; $f(1))', { timeoutMs: 10 })).message).toContain('10 ms');
    expect((await failure('($f := function($x) { 1 + $f($x) }; $f(1))', { maxDepth: 50 })).message).toContain('50 levels');
    expect((await failure('[1..11]', { maxArrayItems: 10 })).message).toContain('more than 10 items');
    expect(await compileExpression('$count([1..10])', 'p').evaluate({}, { maxArrayItems: 10 })).toBe(10);
  });
});

describe('bounded size', () => {
  it.each([
    ['$pad', '$pad("", 2000000)', /maxStringLength/],
    ['$pad to the left', '$pad("x", -2000000, "ab")', /maxStringLength/],
    ['$join of a big list', '$join([1..1000].($pad("", 2000, "x")), "")', /maxStringLength/],
    ['string doubling', '$reduce([1..40], function($a, $b) { $a & $a }, "xy")', /maxStringLength/],
    ['$replace growth', '$replace($pad("", 1000, "a"), "a", $pad("", 10000, "b"))', /maxStringLength/],
    [
      '$string of shared references',
      '$string($reduce([1..40], function($a, $b) { {"a": $a, "b": $a} }, {"x": 1}))',
      /maxStringLength/,
    ],
    ['object doubling', '$reduce([1..40], function($a, $b) { {"a": $a, "b": $a} }, {"x": 1})', /maxResultBytes/],
    ['list doubling', '$reduce([1..40], function($a, $b) { $append($a, $a) }, [1])', /maxArrayItems/],
    ['$split into many items', '$split($pad("", 500000, "a,"), ",")', /maxArrayItems/],
    ['a large result', '[1..1000].($pad("", 2000, "x"))', /maxResultBytes/],
    [
      'a transform of a large value',
      '$reduce([1..30], function($a, $b) { {"a": $a, "b": $a} }, {"x": 1}) ~> | $ | {"y": 1} |',
      /maxResultBytes/,
    ],
  ])('refuses %s', async (_name, text, message) => {
    // A generous time limit: these check the size limits, which must trip however slow the machine is.
    expect((await failure(text, { timeoutMs: 5_000 })).message).toMatch(message);
  });

  it('names the limit set in the options', async () => {
    expect((await failure('$pad("", 200)', { maxStringLength: 100 })).message).toContain('100 characters');
    expect((await failure('[1..100].("xxxxxxxxxx")', { maxResultBytes: 500 })).message).toContain(
      '500 bytes (the maxResultBytes limit)',
    );
    expect((await failure('{"a": {"b": {"c": 1}}}', { maxDepth: 2 })).message).toContain('nested deeper than 2 levels');
  });

  it('limits the text a template builds', async () => {
    const template = compileTemplate('${{ $pad("", 60) }}${{ $pad("", 60) }}', 'steps[0].with.body');
    await expect(template.render({}, { maxStringLength: 100 })).rejects.toThrow(
      'steps[0].with.body: the text is longer than 100 characters (the maxStringLength limit)',
    );
  });
});

describe('regular expressions', () => {
  it('refuses nested repetition, which can backtrack for ever', () => {
    expect(compileFailure('$match(incident.title, /(a+)+$/)').message).toContain('repeats a group that itself repeats');
  });

  it.each([
    ['(a+)+', true],
    ['(a*)*b', true],
    ['(\\w+\\s?)*$', true],
    ['((ab)*c)+', true],
    ['(a{1,}b)+', true],
    ['(\\d{1,3}\\.){3}\\d{1,3}', false],
    ['[(a+)]+', false],
    ['\\(a+\\)+', false],
    ['(ab)+c*', false],
    ['^[a-z]+@[a-z]+\\.[a-z]{2,}$', false],
  ])('%s nests repetition: %s', (source, expected) => {
    expect(nestsRepetition(source)).toBe(expected);
  });
});
