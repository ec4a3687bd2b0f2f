import { stripControlCharacters } from '../common/markdown.js';

/** A column of a table: its heading and how to read a cell from a row. */
export interface Column<T> {
  heading: string;
  value: (row: T) => unknown;
  max?: number;
}

function cell(value: unknown, max: number): string {
  let text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value);
  text = stripControlCharacters(text).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Renders rows as an aligned plain-text table (stored text is stripped of terminal control codes). */
export function table<T>(rows: T[], columns: Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => cell(c.value(row), c.max ?? 60)));
  const widths = columns.map((c, i) => Math.max(c.heading.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.heading.toUpperCase())), ...cells.map(line)].join('\n');
}

/** Renders an object as "key: value" lines. */
export function fields(entries: [string, unknown][]): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${cell(v, 2000)}`).join('\n');
}

/** A time for people: ISO without milliseconds. */
export function shortTime(iso: string | null | undefined): string {
  return iso ? iso.replace(/\.\d{3}Z$/, 'Z').replace('T', ' ') : '';
}

/** Prints a result as JSON or through a formatter. */
export function output(json: boolean, value: unknown, format: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(value, null, 2) : format()}\n`);
}

/** A delivery log's `--limit` from the command line: 1–500, 50 when not given. */
export function deliveryLimit(text: string | undefined): number {
  if (text === undefined) return 50;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new Error(`--limit ${text}: must be a whole number from 1 to 500`);
  return n;
}
