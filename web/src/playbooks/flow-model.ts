import { parseDocument } from 'yaml';

/** A labelled list of steps inside a control step (then/else, a case, a branch, onFailure …). */
export interface FlowBranch {
  label: string;
  nodes: FlowNode[];
}

/** One step as the graph draws it: its kind, a title, a detail line, and nested branches. */
export interface FlowNode {
  key: string;
  kind: string;
  title: string;
  detail?: string;
  /** Branches that run side by side (if/else, switch cases, parallel) or one after another (scope). */
  branches: FlowBranch[];
  layout: 'side' | 'stack';
}

/** What the YAML parses to: the steps as a graph, or where the YAML is broken. */
export type FlowParse =
  { ok: true; name: string; trigger: string; nodes: FlowNode[] } | { ok: false; line: number | null; message: string };

type Step = Record<string, unknown>;

const text = (value: unknown): string =>
  value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);

const stepsOf = (value: unknown): Step[] =>
  Array.isArray(value) ? value.filter((s): s is Step => typeof s === 'object' && s !== null && !Array.isArray(s)) : [];

function kindOf(step: Step): string {
  for (const kind of ['uses', 'if', 'switch', 'forEach', 'parallel', 'scope', 'wait', 'approval', 'set', 'stop']) {
    if (kind in step) return kind === 'uses' ? 'action' : kind;
  }
  return 'unknown';
}

function describe(step: Step, kind: string): { detail?: string; branches: FlowBranch[]; layout: FlowNode['layout'] } {
  const nested = (label: string, value: unknown, path: string): FlowBranch => ({ label, nodes: toNodes(stepsOf(value), path) });
  switch (kind) {
    case 'action':
      return {
        detail: text(step.uses) + (step.connection ? ` · connection ${text(step.connection)}` : ''),
        branches: [],
        layout: 'stack',
      };
    case 'if':
      return {
        detail: text(step.if),
        branches: [nested('then', step.then, 'then'), nested('else', step.else, 'else')],
        layout: 'side',
      };
    case 'switch': {
      const cases = typeof step.cases === 'object' && step.cases ? Object.entries(step.cases as Record<string, unknown>) : [];
      const branches = cases.map(([name, steps]) => nested(`case ${name}`, steps, `case-${name}`));
      if (step.default !== undefined) branches.push(nested('default', step.default, 'default'));
      return { detail: text(step.switch), branches, layout: 'side' };
    }
    case 'forEach':
      return {
        detail: `each ${text(step.as ?? 'item')} in ${text(step.forEach)}${step.concurrency ? ` · ${text(step.concurrency)} at a time` : ''}`,
        branches: [nested('for each item', step.steps, 'steps')],
        layout: 'stack',
      };
    case 'parallel':
      return {
        branches: stepsOf(step.parallel).map((b, i) => nested(text(b.name) || `branch ${i + 1}`, b.steps, `b${i}`)),
        layout: 'side',
      };
    case 'scope': {
      const branches = [nested('try', step.scope, 'scope')];
      if (step.onFailure !== undefined) branches.push(nested('on failure', step.onFailure, 'onFailure'));
      if (step.always !== undefined) branches.push(nested('always', step.always, 'always'));
      return { branches, layout: 'stack' };
    }
    case 'wait': {
      const wait = (step.wait ?? {}) as Step;
      return {
        detail: wait.duration ? `for ${text(wait.duration)}` : `until ${text(wait.until)}`,
        branches: [],
        layout: 'stack',
      };
    }
    case 'approval': {
      const approval = (step.approval ?? {}) as Step;
      const choices = Array.isArray(approval.choices) ? approval.choices.map(text).join(' / ') : '';
      return { detail: `${text(approval.message)}${choices ? ` — ${choices}` : ''}`, branches: [], layout: 'stack' };
    }
    case 'set':
      return {
        detail: typeof step.set === 'object' && step.set ? Object.keys(step.set).join(', ') : '',
        branches: [],
        layout: 'stack',
      };
    case 'stop': {
      const stop = (step.stop ?? {}) as Step;
      return { detail: `${text(stop.status)}${stop.message ? `: ${text(stop.message)}` : ''}`, branches: [], layout: 'stack' };
    }
    default:
      return { detail: 'Unknown step kind', branches: [], layout: 'stack' };
  }
}

/** The steps of a definition as graph nodes (ids as the server names them: `_<position>` when none). */
export function toNodes(steps: Step[], path = ''): FlowNode[] {
  return steps.map((step, index) => {
    const kind = kindOf(step);
    const id = typeof step.id === 'string' ? step.id : `_${index + 1}`;
    const title = typeof step.name === 'string' ? step.name : id;
    return { key: `${path}/${index}:${id}`, kind, title, ...describe(step, kind) };
  });
}

/** Parses YAML (or JSON) text into the graph; a syntax error gives its line instead. */
export function parseFlow(source: string): FlowParse {
  const doc = parseDocument(source);
  const error = doc.errors[0];
  if (error) return { ok: false, line: error.linePos?.[0]?.line ?? null, message: error.message.split('\n')[0] ?? '' };
  const value = doc.toJS() as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, line: 1, message: 'The document must be a mapping with name, trigger and steps' };
  }
  const definition = value as Step;
  const trigger =
    typeof definition.trigger === 'object' && definition.trigger
      ? text((definition.trigger as Step).type)
      : text(definition.trigger);
  return { ok: true, name: text(definition.name), trigger, nodes: toNodes(stepsOf(definition.steps)) };
}
