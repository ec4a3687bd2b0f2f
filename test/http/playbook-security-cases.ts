/**
 * The hostile expressions of scenario 6 (test/http/playbook-security.spec.ts): those refused when
 * a playbook is saved, and those that pass validation but must fail the run naming a limit.
 */

/** A manual playbook whose one step sets x to the expression. */
export const setting = (name: string, expression: string) => ({
  name,
  trigger: { type: 'manual', targets: ['incident'] },
  steps: [{ id: 'probe', set: { x: `\${{ ${expression} }}` } }],
});

/** Expressions the sandbox refuses when the playbook is saved: [what, expression, the message says]. */
export const REFUSED_AT_SAVE: [string, string, string][] = [
  [
    'prototype pollution through $merge',
    '$merge([{}, {"__proto__": {"polluted": 1}}])',
    'builds an object with the key "__proto__"',
  ],
  ['an object with a constructor.prototype key', '{"constructor": {"prototype": {"polluted": 1}}}', 'the key "constructor"'],
  ['a transform that sets __proto__', '{} ~> | $ | {"__proto__": {"polluted": 1}} |', 'the key "__proto__"'],
  ['reading a function’s constructor', '$string.constructor', 'reads "constructor"'],
  ['the Function constructor', "$.constructor.constructor('return process')()", 'reads "constructor"'],
  ['reading __proto__', '$.__proto__.polluted', 'reads "__proto__"'],
  ['$lookup of constructor', "$lookup($string, 'constructor')", 'reads "constructor"'],
  ['$eval', "$eval('$string.constructor')", '$eval is not available'],
  ['a regular expression with a backreference', "$match('abab', /(ab)\\1/)", 'cannot be matched in linear time'],
  ['a catastrophic regular expression', "$match('aaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /(a+)+$/)", 'nested repetition'],
];

/** Expressions that pass validation but fail the run, bounded in time: [what, expression, the run message says]. */
export const FAIL_AT_RUN: [string, string, RegExp][] = [
  ['endless tail recursion', '( $f := function(){ $f() }; $f() )', /\(the (timeoutMs|maxDepth) limit\)/],
  ['endless recursion', '( $f := function($n){ 1 + $f($n + 1) }; $f(0) )', /\(the (maxDepth|timeoutMs) limit\)/],
  [
    'an endless loop of mutual calls',
    '( $a := function(){ $b() }; $b := function(){ $a() }; $a() )',
    /\(the (timeoutMs|maxDepth) limit\)/,
  ],
  ['a huge range', '[1..100000000]', /\(the maxArrayItems limit\)/],
  ['a range past the list limit', '$count([1..5000000])', /\(the maxArrayItems limit\)/],
  ['a string of 50 MB', "$pad('', 50000000, 'x')", /\(the maxStringLength limit\)/],
  ['a string doubled 30 times', "$reduce([1..30], function($a, $b){ $a & $a }, 'x')", /\(the maxStringLength limit\)/],
  ['strings joined into MBs', "$join([1..2].($pad('', 600000, 'x')))", /\(the maxStringLength limit\)/],
  ['a result of many MB', '[1..2].{"k": $pad("", 600000, "x")}', /\(the maxResultBytes limit\)/],
  ['a result nested 2,000 deep', '$reduce([1..2000], function($a, $b){ {"a": $a} }, {})', /\(the (maxDepth|timeoutMs) limit\)/],
  ['an object with a computed __proto__ key', '{ $join(["__pro", "to__"]): {"polluted": 1} }', /the key "__proto__"/],
  ['$merge with a computed __proto__ key', '$merge([{}, { $join(["__pro", "to__"]): {"polluted": 1} }])', /__proto__/],
  ['$lookup of a computed constructor key', '$lookup($string, $join(["con", "structor"]))', /reads "constructor"/],
];
