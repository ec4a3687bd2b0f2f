/** Playbook expressions: `${{ … }}` templates in sandboxed JSONata, compiled once and rendered per step. */
export { compileTemplate, compileExpression, type Template, type CompiledExpression } from './template.js';
export { containsExpression } from './template-syntax.js';
export { ExpressionError } from './expression-error.js';
export {
  DEFAULT_EXPRESSION_LIMITS,
  MAX_EXPRESSION_LENGTH,
  type ExpressionLimits,
  type RenderOptions,
} from './expression-limits.js';
export type { Reference } from './expression-references.js';
export { SCOPE_ROOTS, type ExpressionScope, type ScopeRoot } from './expression-scope.js';
export { isTruthy } from './expression-result.js';
export { UNSAFE_KEYS } from './expression-checks.js';
