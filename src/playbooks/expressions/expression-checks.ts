import { walkAst, objectKeys, type AstNode } from './expression-ast.js';
import { linearRegex } from './linear-regex.js';

/**
 * Compile-time sandbox checks on the syntax tree, and the marks that tell the runtime guard which
 * results to inspect. Property reads in JSONata only see own properties, so these are a second
 * wall: nothing in a playbook needs these names, and refusing them makes intent visible early.
 */

/** Property names an expression may neither read nor create. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A problem found in the syntax tree: where, and what. */
export interface AstProblem {
  position: number;
  message: string;
}

/** What the runtime guard checks on a node's result (bit flags). */
export const MARK = { callee: 1, update: 2, object: 4, regex: 8 } as const;

/** Finds the first construct the sandbox refuses: unsafe property names, `$eval`, catastrophic regular expressions. */
export function findUnsafeConstruct(ast: AstNode): AstProblem | undefined {
  let problem: AstProblem | undefined;
  walkAst(ast, (node) => {
    problem ??= unsafeNode(node);
  });
  return problem;
}

function unsafeNode(node: AstNode): AstProblem | undefined {
  const at = node.position ?? 0;
  if (node.type === 'name' && UNSAFE_KEYS.has(String(node.value))) {
    return { position: at, message: `reads "${String(node.value)}", which expressions may not access` };
  }
  if (node.type === 'variable' && node.value === 'eval') {
    return { position: at, message: '$eval is not available in playbook expressions' };
  }
  for (const key of objectKeys(node)) {
    if (key.type === 'string' && UNSAFE_KEYS.has(String(key.value))) {
      return {
        position: key.position ?? at,
        message: `builds an object with the key "${String(key.value)}", which is not allowed`,
      };
    }
  }
  if (node.type === 'function' && isVariable(node.procedure, 'lookup')) {
    const key = node.arguments?.[1];
    if (key?.type === 'string' && UNSAFE_KEYS.has(String(key.value))) {
      return { position: key.position ?? at, message: `reads "${String(key.value)}", which expressions may not access` };
    }
  }
  if (node.type === 'regex' && node.value instanceof RegExp && nestsRepetition(node.value.source)) {
    return {
      position: at,
      message: `the regular expression /${node.value.source}/ repeats a group that itself repeats, which can take exponential time; rewrite it without nested repetition`,
    };
  }
  if (node.type === 'regex' && node.value instanceof RegExp && !matchesInLinearTime(node.value)) {
    return {
      position: at,
      message: `the regular expression /${node.value.source}/ cannot be matched in linear time (backreferences, lookarounds and large counted repetitions are not supported); rewrite it without them`,
    };
  }
  return undefined;
}

function matchesInLinearTime(regex: RegExp): boolean {
  try {
    linearRegex(regex);
    return true;
  } catch {
    return false;
  }
}

function isVariable(node: AstNode | undefined, name: string): boolean {
  return node?.type === 'variable' && node.value === name;
}

/**
 * Whether a regular expression applies an unbounded quantifier to a group that contains one, like
 * `(a+)+` or `(\w*,?)*`: the classic shapes of catastrophic backtracking on crafted input. Bounded
 * repetition (`(\d{1,3}\.){3}`) is accepted.
 */
export function nestsRepetition(source: string): boolean {
  const groups: boolean[] = [false];
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      i++;
    } else if (char === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
    } else if (char === '(') {
      groups.push(false);
    } else if (char === ')') {
      const inner = groups.pop() ?? false;
      const repeated = repeatsAt(source, i + 1);
      if (inner && repeated) return true;
      if (groups.length === 0) groups.push(false);
      groups[groups.length - 1] ||= inner || repeated;
    } else if (repeatsAt(source, i)) {
      groups[groups.length - 1] = true;
    }
  }
  return false;
}

/** Whether an unbounded quantifier (`*`, `+`, `{n,}`) starts at `index`. */
function repeatsAt(source: string, index: number): boolean {
  const char = source[index];
  return char === '*' || char === '+' || (char === '{' && /^\{\d+,\}/.test(source.slice(index, index + 12)));
}

/** Marks the nodes whose results the runtime guard must inspect (see MARK). */
export function markNodes(ast: AstNode): WeakMap<object, number> {
  const marks = new WeakMap<object, number>();
  const mark = (node: AstNode | undefined, flag: number) => {
    if (node) marks.set(node, (marks.get(node) ?? 0) | flag);
  };
  walkAst(ast, (node) => {
    if (node.type === 'function' || node.type === 'partial') {
      mark(node.procedure, MARK.callee);
      node.arguments?.forEach((argument) => mark(argument, MARK.callee));
    } else if (node.type === 'apply') {
      if (!Array.isArray(node.lhs)) mark(node.lhs, MARK.callee);
      mark(node.rhs, MARK.callee);
    } else if (node.type === 'transform') {
      mark(node.update, MARK.update);
    } else if (node.type === 'regex') {
      mark(node, MARK.regex);
    }
    if (objectKeys(node).length > 0 || (node.type === 'unary' && node.value === '{')) mark(node, MARK.object);
  });
  return marks;
}
