import { ExpressionError } from './expression-error.js';

/** A piece of a template string: literal text, or the JSONata text of one `${{ … }}` and where it starts. */
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'expression'; text: string; start: number };

const OPEN = '${{';

/** Whether a value (any JSON) holds `${{` anywhere in its strings. */
export function containsExpression(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(OPEN);
  if (Array.isArray(value)) return value.some(containsExpression);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsExpression);
  return false;
}

/**
 * Splits a string into text and `${{ … }}` parts. The closing `}}` is found outside JSONata
 * strings and comments and outside braces opened by the expression, so `${{ {"a": {"b": 1}} }}`
 * is one expression.
 */
export function splitTemplate(source: string, path: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let from = 0;
  for (let open = source.indexOf(OPEN); open !== -1; open = source.indexOf(OPEN, from)) {
    if (open > from) parts.push({ kind: 'text', text: source.slice(from, open) });
    const start = open + OPEN.length;
    const end = closingBraces(source, start);
    if (end === -1) throw new ExpressionError(path, `"\${{" at ${open} has no closing "}}"`, open);
    parts.push({ kind: 'expression', text: source.slice(start, end), start });
    from = end + 2;
  }
  if (from < source.length) parts.push({ kind: 'text', text: source.slice(from) });
  return parts;
}

function closingBraces(source: string, from: number): number {
  let depth = 0;
  for (let i = from; i < source.length; i++) {
    const char = source[i];
    if (char === '"' || char === "'" || char === '`') {
      i = endOfQuoted(source, i, char);
    } else if (char === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 1;
    } else if (char === '{') {
      depth++;
    } else if (char === '}') {
      if (depth === 0 && source[i + 1] === '}') return i;
      if (depth > 0) depth--;
    }
  }
  return -1;
}

function endOfQuoted(source: string, from: number, quote: string): number {
  for (let i = from + 1; i < source.length; i++) {
    if (source[i] === '\\' && quote !== '`') i++;
    else if (source[i] === quote) return i;
  }
  return source.length;
}

/** The single expression of a string that is exactly one `${{ … }}` (whitespace around allowed), else undefined. */
export function soleExpression(parts: TemplatePart[]): Extract<TemplatePart, { kind: 'expression' }> | undefined {
  const expressions = parts.filter((part) => part.kind === 'expression');
  const textOnlySpace = parts.every((part) => part.kind === 'expression' || part.text.trim() === '');
  return expressions.length === 1 && textOnlySpace ? expressions[0] : undefined;
}
