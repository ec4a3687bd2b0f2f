import { compileExpression, compileTemplate } from '../expressions/index.js';

/**
 * A step's templates and expressions, compiled on first use and kept with the step object
 * (definitions are cached per playbook version, so each is compiled once per process).
 */
const compiled = new WeakMap<object, Map<string, { render(scope: object): Promise<unknown> }>>();

function cached(owner: object, field: string, make: () => { render(scope: object): Promise<unknown> }) {
  let parts = compiled.get(owner);
  if (!parts) compiled.set(owner, (parts = new Map()));
  let part = parts.get(field);
  if (!part) parts.set(field, (part = make()));
  return part;
}

/** Renders a value that may hold `${{ … }}` anywhere inside (a step's `with`, `set`, messages). */
export function renderTemplate(owner: object, field: string, value: unknown, scope: object): Promise<unknown> {
  return cached(owner, field, () => compileTemplate(value, field)).render(scope);
}

/** Evaluates a field that is always an expression (`if`, `switch`, `forEach`, `until`). */
export function evaluateExpression(owner: object, field: string, text: string, scope: object): Promise<unknown> {
  return cached(owner, field, () => {
    const expression = compileExpression(text, field);
    return { render: (scope: object) => expression.evaluate(scope) };
  }).render(scope);
}

export { isTruthy } from '../expressions/index.js';
