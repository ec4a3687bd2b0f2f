import { InputError } from '../errors/errors.js';

/** Encodes a page position (the sort value and id of the last item) as an opaque string. */
export function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/**
 * Decodes a cursor made by encodeCursor; a tampered or foreign cursor (wrong length, or failing
 * `isValid`) is a 400 naming `cursor`.
 */
export function decodeCursor(
  cursor: string,
  expectedLength: number,
  isValid: (position: unknown[]) => boolean = () => true,
): unknown[] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === expectedLength && isValid(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw new InputError('cursor is not a cursor this list returned; start again without it', [
    { path: 'cursor', message: 'is not valid for this list' },
  ]);
}

/** Millisecond timestamps as ISO 8601 strings in API responses. */
export function isoTime(millis: number): string;
export function isoTime(millis: number | null): string | null;
export function isoTime(millis: number | null): string | null {
  return millis === null ? null : new Date(millis).toISOString();
}

/** Parses an ISO 8601 date-time from the API into milliseconds. */
export function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return Date.parse(value);
}
