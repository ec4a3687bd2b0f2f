import { randomInt } from 'node:crypto';

/** Strong temporary passwords for password resets. */

const SETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#$%&*+-=?@^_~'];
const ALL = SETS.join('');

/**
 * A random password of `length` characters (≥ 12) with at least one upper-case letter, lower-case
 * letter, digit and symbol, from crypto.randomInt; look-alike characters (0/O, 1/l/I) left out.
 */
export function temporaryPassword(length = 20): string {
  if (length < 12) throw new Error('A temporary password needs at least 12 characters.');
  const chars = SETS.map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(ALL[randomInt(ALL.length)]!);
  // Fisher-Yates, so the guaranteed characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
