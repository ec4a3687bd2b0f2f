import type { PlaybookDefinition, Step } from './definition-types.js';
import { childPath, formatPath, parsePath, type PathSegment } from './definition-paths.js';
import type { Problem } from './definition-problems.js';
import { readDefinition, unsafeKeyProblems } from './definition-read.js';
import { DEFINITION_LIMITS } from './definition-schema.js';
import { validatePlaybook } from './definition-validate.js';
import type { DefinitionCatalog } from './validate-actions.js';
import { readYaml } from './yaml-source.js';

/** Options of parsePlaybook: without a catalog, actions and their inputs are not checked. */
export interface ParseOptions {
  catalog?: DefinitionCatalog;
}

/** A parsed playbook: the definition when there is no problem at all, else null and every problem in document order. */
export interface ParseResult {
  definition: PlaybookDefinition | null;
  problems: Problem[];
  /**
   * What could be read even when there are problems (steps with problems left out), so that
   * checks against the workspace can report theirs too; null when the text could not be read.
   */
  draft: DefinitionDraft | null;
}

/** A definition as far as it could be read, where its steps are written, and the line of a path. */
export interface DefinitionDraft {
  definition: PlaybookDefinition;
  /** Whether the document says `enabled:` itself (else a new version keeps the playbook's state). */
  enabledGiven: boolean;
  segmentsOf(step: Step): PathSegment[] | undefined;
  lineOf(path: string): number | undefined;
}

/** The position of every path of the source in document order (parents before children). */
function documentOrder(value: unknown): Map<string, number> {
  const order = new Map<string, number>();
  const visit = (node: unknown, path: string) => {
    order.set(path, order.size);
    if (Array.isArray(node)) node.forEach((item, index) => visit(item, childPath(path, index)));
    else if (typeof node === 'object' && node !== null)
      for (const [key, item] of Object.entries(node)) visit(item, childPath(path, key));
  };
  visit(value, '');
  return order;
}

function placeOf(path: string, order: Map<string, number>): number {
  const segments = parsePath(path);
  for (let length = segments.length; length > 0; length--) {
    const place = order.get(formatPath(segments.slice(0, length)));
    if (place !== undefined) return place;
  }
  return 0;
}

function inDocumentOrder(problems: Problem[], source: unknown, lineOf?: (path: string) => number | undefined): Problem[] {
  const order = documentOrder(source);
  return problems
    .map((problem, index) => ({
      problem: { ...problem, line: problem.line ?? lineOf?.(problem.path) },
      place: placeOf(problem.path, order),
      index,
    }))
    .sort((a, b) => a.place - b.place || a.index - b.index)
    .map(({ problem }) => (problem.line === undefined ? { path: problem.path, message: problem.message } : problem));
}

const failed = (problems: Problem[]): ParseResult => ({ definition: null, problems, draft: null });

/**
 * Parses a playbook written in YAML or JSON (text), or already parsed (an object), and validates
 * it: shape, limits, expressions, references and, with a catalog, actions. Problems carry the
 * path (`steps[3].with.ip`) and, for text, the line.
 */
export function parsePlaybook(source: string | object, options: ParseOptions = {}): ParseResult {
  const bytes = Buffer.byteLength(typeof source === 'string' ? source : (JSON.stringify(source) ?? ''));
  if (bytes > DEFINITION_LIMITS.sourceBytes) {
    const size = `${Math.ceil(bytes / 1024)} KB`;
    return failed([
      {
        path: '',
        message: `the definition is ${size}; at most ${DEFINITION_LIMITS.sourceBytes / 1024} KB are allowed (the size limit)`,
      },
    ]);
  }
  let raw: unknown = source;
  let lineOf: ((path: string) => number | undefined) | undefined;
  const problems: Problem[] = [];
  if (typeof source === 'string') {
    const yaml = readYaml(source);
    if (yaml.value === undefined && yaml.problems.length > 0) return failed(yaml.problems);
    raw = yaml.value;
    lineOf = yaml.lineOf;
    problems.push(...yaml.problems);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return failed([
      { path: '', message: 'a playbook must be a mapping with a name, a trigger and steps', ...(lineOf && { line: 1 }) },
    ]);
  }
  const unsafe = unsafeKeyProblems(raw);
  if (unsafe.length > 0) return failed(inDocumentOrder(unsafe, raw, lineOf));
  const reading = readDefinition(raw as Record<string, unknown>);
  problems.push(...reading.problems, ...validatePlaybook(reading.definition, options.catalog, reading.hints));
  const sorted = inDocumentOrder(problems, raw, lineOf);
  const draft: DefinitionDraft = {
    definition: reading.definition,
    enabledGiven: 'enabled' in raw,
    segmentsOf: (step) => reading.hints.segments?.get(step),
    lineOf: (path) => lineOf?.(path),
  };
  return { definition: sorted.length === 0 ? reading.definition : null, problems: sorted, draft };
}
