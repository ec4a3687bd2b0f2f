import type { AstNode } from './expression-ast.js';

/**
 * What an expression reads at the root of the scope, found in its syntax tree. Paths evaluated
 * against something else (inside predicates, after the first step of a path, in a transform) are
 * not root reads; lambdas read from where they are defined.
 */

/** One read at the root: `steps.vt…` is `{ root: 'steps', id: 'vt' }`, `vars.count` is `{ root: 'vars', name: 'count' }`. */
export interface Reference {
  /** A root name (`steps`, `vars`, `incident`, a loop variable, …), or `$` for the whole scope. */
  root: string;
  /** For `steps`: the step id read. */
  id?: string;
  /** For other roots: the first property read. */
  name?: string;
  /** The entry read cannot be known without running it (`steps[$i]`, `$lookup($$, $k)`, `steps.*`, the whole root). */
  dynamic?: boolean;
  /** Character offset in the field's text where the root name ends (JSONata reports token ends). */
  position: number;
  /** The field the expression is written in (set by templates). */
  path?: string;
}

const RELATIVE_FIELDS = new Set(['stages', 'predicate', 'pattern', 'update', 'delete', 'terms', 'group']);

/** The root reads of a parsed expression, positions shifted by `offset` (where the expression starts in its field). */
export function collectReferences(ast: AstNode, offset = 0): Reference[] {
  const out: Reference[] = [];
  visit(ast, true, out, offset);
  return out;
}

function visit(node: AstNode, atRoot: boolean, out: Reference[], offset: number): void {
  if (node.type === 'path') return visitPath(node, atRoot, out, offset);
  if (node.type === 'variable' && (node.value === '$' || (node.value === '' && atRoot))) {
    out.push({ root: '$', dynamic: true, position: offset + (node.position ?? 0) });
  } else if (atRoot && (node.type === 'wildcard' || node.type === 'descendant')) {
    out.push({ root: '$', dynamic: true, position: offset + (node.position ?? 0) });
  }
  visitChildren(node, atRoot, out, offset);
}

function visitChildren(node: AstNode, atRoot: boolean, out: Reference[], offset: number): void {
  for (const [field, child] of Object.entries(node)) {
    if (field === 'steps' || typeof child !== 'object' || child === null) continue;
    const here = atRoot && !RELATIVE_FIELDS.has(field);
    for (const sub of subNodes(child)) visit(sub, here, out, offset);
  }
}

/** The expressions inside a field's value: a node, a list of nodes, key/value pairs, sort terms or a group. */
function subNodes(value: object): AstNode[] {
  if (Array.isArray(value)) return value.flatMap((item) => (typeof item === 'object' && item !== null ? subNodes(item) : []));
  const node = value as Partial<AstNode> & { lhs?: unknown };
  if (typeof node.type === 'string') return [node as AstNode];
  if ('expression' in node && node.expression) return [node.expression];
  if (Array.isArray(node.lhs)) return subNodes(node.lhs);
  return [];
}

function visitPath(node: AstNode, atRoot: boolean, out: Reference[], offset: number): void {
  const steps = node.steps ?? [];
  const first = steps[0];
  let rootIndex = -1;
  if (first?.type === 'name' && atRoot) rootIndex = 0;
  else if (first?.type === 'variable' && (first.value === '$' || (first.value === '' && atRoot))) rootIndex = 1;
  if (rootIndex >= 0) {
    out.push(rootReference(steps, rootIndex, offset, first!));
  }
  steps.forEach((step, index) => {
    if (index === rootIndex || (rootIndex === 1 && index === 0)) {
      visitChildren(step, false, out, offset);
    } else {
      visit(step, atRoot && index === 0, out, offset);
    }
  });
  if (node.group) visitChildren({ type: 'group', group: node.group }, false, out, offset);
}

function rootReference(steps: AstNode[], rootIndex: number, offset: number, first: AstNode): Reference {
  const root = steps[rootIndex];
  if (root?.type !== 'name' || typeof root.value !== 'string') {
    return { root: '$', dynamic: true, position: offset + ((root ?? first).position ?? 0) };
  }
  const reference: Reference = { root: root.value, position: offset + (root.position ?? 0) };
  const next = steps[rootIndex + 1];
  const filtered = root.stages !== undefined || root.predicate !== undefined;
  if (!filtered && next?.type === 'name' && typeof next.value === 'string') {
    if (root.value === 'steps') reference.id = next.value;
    else reference.name = next.value;
  } else {
    reference.dynamic = true;
  }
  return reference;
}
