/**
 * Paths name a place in a playbook the way an author reads it: `steps[3].then[0].with.ip`,
 * `steps[5].cases["Very high"][0]`. Problems, runs and the UI all use these strings.
 */

/** One step of a path: an object key or a list index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of a key or index below `parent` (an empty parent gives a top-level path). */
export function childPath(parent: string, segment: PathSegment): string {
  if (typeof segment === 'number') return `${parent}[${segment}]`;
  if (!IDENTIFIER.test(segment)) return `${parent}[${JSON.stringify(segment)}]`;
  return parent ? `${parent}.${segment}` : segment;
}

/** A path string from its segments. */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>((path, segment) => childPath(path, segment), '');
}

/** The segments of a path written by formatPath (the inverse). */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /(?:^|\.)([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(path)) !== null) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]!) as string);
    if (pattern.lastIndex === path.length) break;
  }
  return segments;
}
