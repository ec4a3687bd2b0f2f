import v8 from 'node:v8';

/**
 * Regular expressions in playbook expressions run on V8's linear-time engine (the `l` flag), so
 * no pattern can backtrack catastrophically (`/(a|a)*$/` on "aaaa…!" would block the process for
 * hours on the default engine). That engine has no `i` flag here, so case-insensitivity is
 * spelled out in the pattern (`a` → `[aA]`); it refuses backreferences, lookarounds and large
 * counted repetitions, which are then refused when the playbook is saved.
 */

function enableLinearEngine(): boolean {
  try {
    new RegExp('a', 'l');
    return true;
  } catch {
    // The flag only lets RegExp accept `l`; other regular expressions are unaffected.
    v8.setFlagsFromString('--enable-experimental-regexp-engine');
  }
  try {
    new RegExp('a', 'l');
    return true;
  } catch {
    return false;
  }
}

/** Whether this runtime has the linear-time engine (when it does not, only the static checks protect). */
export const LINEAR_REGEX_ENGINE = enableLinearEngine();

const hex4 = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;

/** The other case of a character, when it has exactly one. */
function otherCase(char: string): string | undefined {
  const lower = char.toLowerCase();
  const upper = char.toUpperCase();
  if (lower === upper || lower.length !== 1 || upper.length !== 1) return undefined;
  return char === lower ? upper : lower;
}

/** Reads one escape at `i` (a backslash): its text and, for \xHH and \uHHHH, the character it stands for. */
function readEscape(source: string, i: number): { text: string; char?: string } {
  const next = source[i + 1] ?? '';
  const hex =
    next === 'x' ? /^[0-9a-f]{2}/i.exec(source.slice(i + 2)) : next === 'u' ? /^[0-9a-f]{4}/i.exec(source.slice(i + 2)) : null;
  if (hex) return { text: source.slice(i, i + 2 + hex[0].length), char: String.fromCharCode(parseInt(hex[0], 16)) };
  if (next === 'c' && /[a-z]/i.test(source[i + 2] ?? '')) return { text: source.slice(i, i + 3) };
  if (next === 'k' && source[i + 2] === '<') return { text: source.slice(i, source.indexOf('>', i) + 1 || source.length) };
  return { text: `\\${next}` };
}

/** Counterparts of a range's cased characters (ranges of at most 512 characters; larger ones are left as written). */
function rangeCounterparts(from: number, to: number): string {
  let out = '';
  const ascii = (lo: number, hi: number, shift: number) => {
    const a = Math.max(from, lo);
    const b = Math.min(to, hi);
    if (a <= b) out += `${hex4(a + shift)}-${hex4(b + shift)}`;
  };
  ascii(0x61, 0x7a, -32);
  ascii(0x41, 0x5a, 32);
  if (to - from > 512) return out;
  for (let code = Math.max(from, 0x80); code <= to; code++) {
    const other = otherCase(String.fromCharCode(code));
    if (other) out += hex4(other.charCodeAt(0));
  }
  return out;
}

/** A character class with each cased character's other case added (`[a-f]` → `[a-fA-F]`). */
function spellOutClass(body: string): string {
  const negated = body.startsWith('^');
  let added = '';
  let i = negated ? 1 : 0;
  while (i < body.length) {
    let char: string | undefined;
    let length = 1;
    if (body[i] === '\\') {
      const escape = readEscape(body, i);
      char = escape.char;
      length = escape.text.length;
    } else {
      char = body[i];
    }
    const dash = i + length;
    if (char !== undefined && body[dash] === '-' && dash + 1 < body.length) {
      const end = body[dash + 1] === '\\' ? readEscape(body, dash + 1) : { text: body[dash + 1]!, char: body[dash + 1] };
      if (end.char !== undefined) {
        added += rangeCounterparts(char.charCodeAt(0), end.char.charCodeAt(0));
        i = dash + 1 + end.text.length;
        continue;
      }
    }
    const other = char === undefined ? undefined : otherCase(char);
    if (other) added += hex4(other.charCodeAt(0));
    i += length;
  }
  // A trailing "-" is literal; before what is added it would start a range.
  const backslashes = /\\*-$/.exec(body)?.[0].length ?? 0;
  const literalDash = backslashes % 2 === 1 && body.length > (negated ? 2 : 1);
  return `[${literalDash && added ? `${body.slice(0, -1)}\\-` : body}${added}]`;
}

/** Where the character class opening at `start` closes (the index of its `]`). */
function classEnd(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  return source.length;
}

/** The pattern matching what `source` with the `i` flag matches, without the flag. */
export function spellOutCase(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const escape = readEscape(source, i);
      const other = escape.char === undefined ? undefined : otherCase(escape.char);
      out += other ? `[${escape.text}${hex4(other.charCodeAt(0))}]` : escape.text;
      i += escape.text.length - 1;
    } else if (c === '[') {
      const end = classEnd(source, i);
      out += spellOutClass(source.slice(i + 1, end));
      i = end;
    } else if (source.startsWith('(?<', i) && source[i + 3] !== '=' && source[i + 3] !== '!') {
      // A named group: its name stays as written.
      const end = source.indexOf('>', i);
      out += source.slice(i, end + 1);
      i = end;
    } else {
      const other = otherCase(c);
      out += other ? `[${c}${other}]` : c;
    }
  }
  return out;
}

/**
 * The linear-time version of a regular expression JSONata parsed; throws a SyntaxError when it
 * cannot run in linear time. Without the engine, a copy of the expression itself.
 */
export function linearRegex(regex: RegExp): RegExp {
  if (!LINEAR_REGEX_ENGINE) return new RegExp(regex);
  const caseless = regex.flags.includes('i');
  return new RegExp(caseless ? spellOutCase(regex.source) : regex.source, `${regex.flags.replace('i', '')}l`);
}

const linearVersions = new WeakMap<RegExp, RegExp>();

/**
 * Longest text a regular expression is matched against, in characters. The linear-time engine
 * cannot be interrupted mid-match, and a heavy pattern costs about 6 µs per character: 64 Ki
 * characters keeps one match well under half a second.
 */
export const MAX_REGEX_SUBJECT = 65_536;

/** Refuses texts over the limit before V8 starts matching (JSONata matches through `exec`). */
function boundedExec(regex: RegExp): RegExp {
  const exec = regex.exec;
  regex.exec = function (this: RegExp, subject: string) {
    if (typeof subject === 'string' && subject.length > MAX_REGEX_SUBJECT) {
      throw new Error(
        `a regular expression may be matched against at most ${MAX_REGEX_SUBJECT} characters; this text has ${subject.length}`,
      );
    }
    return exec.call(this, subject);
  };
  return regex;
}

/**
 * JSONata's `RegexEngine` option: it constructs one of these from the parsed expression each time
 * a regular expression is evaluated. Returns a fresh linear-time copy (JSONata keeps state in it)
 * that refuses texts longer than MAX_REGEX_SUBJECT.
 */
export function LinearRegExp(regex: RegExp): RegExp {
  let linear = linearVersions.get(regex);
  if (!linear) linearVersions.set(regex, (linear = linearRegex(regex)));
  return boundedExec(new RegExp(linear));
}
