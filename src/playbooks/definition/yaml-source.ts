import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { formatPath, parsePath, type PathSegment } from './definition-paths.js';
import type { Problem } from './definition-problems.js';

/** YAML (or JSON, which is YAML) text read into a value, with the line of any path in it. */
export interface YamlSource {
  value: unknown;
  /** Syntax errors (then `value` is undefined) and keys that differ only in type, like `1` and `"1"`. */
  problems: Problem[];
  /** The 1-based line where a path is written, or where its nearest written parent is. */
  lineOf(path: string): number | undefined;
}

function keyText(key: unknown): string {
  return String(isScalar(key) ? key.value : key);
}

/** Keys of one mapping that become the same key once read (`1` and `"1"`, `true` and `"true"`). */
function duplicateKeys(doc: Document, lines: LineCounter): Problem[] {
  const problems: Problem[] = [];
  const visit = (node: unknown, segments: PathSegment[]) => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = keyText(pair.key);
        if (seen.has(key)) {
          const offset = (pair.key as Node | null)?.range?.[0];
          problems.push({
            path: formatPath([...segments, key]),
            message: `the key ${JSON.stringify(key)} is written twice in this mapping`,
            ...(offset !== undefined && { line: lines.linePos(offset).line }),
          });
        }
        seen.add(key);
        visit(pair.value, [...segments, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...segments, index]));
    }
  };
  visit(doc.contents, []);
  return problems;
}

function locate(doc: Document, lines: LineCounter, path: string): number | undefined {
  const lineAt = (node: unknown) => {
    const offset = (node as Node | null)?.range?.[0];
    return offset === undefined ? undefined : lines.linePos(offset).line;
  };
  let node: unknown = doc.contents;
  let line = lineAt(node);
  for (const segment of parsePath(path)) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) break;
      line = lineAt(pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      line = lineAt(node) ?? line;
    } else {
      break;
    }
  }
  return line;
}

/** Reads YAML or JSON text; errors carry their line. */
export function readYaml(text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: '1.2' });
  const lineOf = (path: string) => locate(doc, lines, path);
  const syntax = [...doc.errors, ...doc.warnings].map((error) => ({
    path: '',
    message: error.message,
    line: lines.linePos(error.pos[0]).line,
  }));
  if (syntax.length > 0) return { value: undefined, problems: syntax, lineOf };
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }), problems: duplicateKeys(doc, lines), lineOf };
  } catch (error) {
    return { value: undefined, problems: [{ path: '', message: (error as Error).message, line: 1 }], lineOf };
  }
}
