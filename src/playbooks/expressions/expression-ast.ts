/**
 * The JSONata syntax tree as the parser builds it (its published type leaves out several fields),
 * and a walker over every child expression.
 */

/** One node of a parsed JSONata expression. */
export interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  steps?: AstNode[];
  stages?: AstNode[];
  predicate?: AstNode[];
  expressions?: AstNode[];
  arguments?: AstNode[];
  expr?: AstNode;
  lhs?: AstNode | [AstNode, AstNode][];
  rhs?: AstNode;
  procedure?: AstNode;
  body?: AstNode;
  pattern?: AstNode;
  update?: AstNode;
  delete?: AstNode;
  condition?: AstNode;
  then?: AstNode;
  else?: AstNode;
  expression?: AstNode;
  terms?: { expression: AstNode }[];
  group?: { lhs: [AstNode, AstNode][]; position?: number };
}

const SINGLE_CHILDREN = [
  'expr',
  'rhs',
  'procedure',
  'body',
  'pattern',
  'update',
  'delete',
  'condition',
  'then',
  'else',
  'expression',
] as const;
const LIST_CHILDREN = ['steps', 'stages', 'predicate', 'expressions', 'arguments'] as const;

/** Calls `visit` on every direct child expression of `node`. */
export function forEachChild(node: AstNode, visit: (child: AstNode) => void): void {
  for (const key of LIST_CHILDREN) node[key]?.forEach(visit);
  for (const key of SINGLE_CHILDREN) {
    const child = node[key];
    if (child) visit(child);
  }
  if (Array.isArray(node.lhs)) {
    for (const [key, value] of node.lhs) (visit(key), visit(value));
  } else if (node.lhs) {
    visit(node.lhs);
  }
  for (const term of node.terms ?? []) visit(term.expression);
  for (const [key, value] of node.group?.lhs ?? []) (visit(key), visit(value));
}

/** Calls `visit` on `node` and every expression below it, parents first. */
export function walkAst(node: AstNode, visit: (node: AstNode) => void): void {
  visit(node);
  forEachChild(node, (child) => walkAst(child, visit));
}

/** The key expressions of an object constructor (`{…}`) or a group-by (`path{…}`), with the node producing the object. */
export function objectKeys(node: AstNode): AstNode[] {
  const keys: AstNode[] = [];
  if (node.type === 'unary' && node.value === '{' && Array.isArray(node.lhs)) keys.push(...node.lhs.map(([key]) => key));
  for (const [key] of node.group?.lhs ?? []) keys.push(key);
  return keys;
}
