/** Bounds on one evaluation of an expression; every limit error names the limit it hit. */
export interface ExpressionLimits {
  /** Wall-clock time of one evaluation, in milliseconds. */
  timeoutMs: number;
  /** Nesting of evaluation frames (recursion depth), also the deepest result accepted. */
  maxDepth: number;
  /** Size of a result serialized as JSON, in bytes. */
  maxResultBytes: number;
  /** Length of any string built while evaluating, in characters. */
  maxStringLength: number;
  /** Items in any list built while evaluating. */
  maxArrayItems: number;
}

/** Options of `render` and `evaluate`: any limit left out takes its default. */
export type RenderOptions = Partial<ExpressionLimits>;

/** The limits used when a caller gives none. */
export const DEFAULT_EXPRESSION_LIMITS: Readonly<ExpressionLimits> = Object.freeze({
  timeoutMs: 100,
  maxDepth: 1_000,
  maxResultBytes: 1024 * 1024,
  maxStringLength: 1_000_000,
  maxArrayItems: 100_000,
});

/** Longest expression text accepted, in characters (one `${{ … }}` or one `if:`). */
export const MAX_EXPRESSION_LENGTH = 4 * 1024;

/** The limits for one call: the defaults, overridden by what the caller gave. */
export function resolveLimits(options?: RenderOptions): ExpressionLimits {
  if (!options) return DEFAULT_EXPRESSION_LIMITS;
  return { ...DEFAULT_EXPRESSION_LIMITS, ...options };
}

/** A key identifying a set of limits, so a compiled sandbox can be reused for the same limits. */
export function limitsKey(limits: ExpressionLimits): string {
  return `${limits.timeoutMs}/${limits.maxDepth}/${limits.maxResultBytes}/${limits.maxStringLength}/${limits.maxArrayItems}`;
}
