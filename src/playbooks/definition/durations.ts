/** Durations as playbook authors write them (`30s`, `5m`, `1h30m`, `PT5M`, `P1D`), in milliseconds. */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY };
const COMPACT = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const COMPACT_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const ISO = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** The upper bounds of the durations a playbook may set. */
export const DURATION_LIMITS = {
  stepTimeout: DAY,
  wait: 30 * DAY,
  expiresIn: 30 * DAY,
  runTimeout: 30 * DAY,
  backoff: DAY,
} as const;

/** Milliseconds of `1500ms`, `30s`, `5m`, `2h`, `1d`, `1h30m` or ISO 8601 (`PT5M`, `P1DT2H`, `P2W`); undefined if it is none of these. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (COMPACT.test(trimmed)) {
    let total = 0;
    for (const [, amount, unit] of trimmed.matchAll(COMPACT_PART)) total += Number(amount) * UNITS[unit!]!;
    return Math.round(total);
  }
  const iso = ISO.exec(trimmed);
  if (!iso || /^P$|T$/i.test(trimmed)) return undefined;
  const [, weeks, days, hours, minutes, seconds] = iso.map((part) => Number(part ?? 0));
  return Math.round(weeks! * 7 * DAY + days! * DAY + hours! * HOUR + minutes! * MINUTE + seconds! * SECOND);
}

/** A duration in the largest unit that divides it (`24h` → `1d`, `90s` → `90s`), for messages. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    ['s', SECOND],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
