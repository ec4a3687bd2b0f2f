import { describe, expect, it } from 'vitest';
import { compileExpression } from './template.js';

const refs = (text: string) =>
  compileExpression(text, 'p')
    .references()
    .map(({ root, id, name, dynamic }) => ({ root, id, name, dynamic }));
const ref = (root: string, more: { id?: string; name?: string; dynamic?: boolean } = {}) => ({
  root,
  id: more.id,
  name: more.name,
  dynamic: more.dynamic,
});

describe('references', () => {
  it.each([
    ['steps.vt.output.data.attributes', [ref('steps', { id: 'vt' })]],
    ['vars.count + 1', [ref('vars', { name: 'count' })]],
    ['$count(steps.accounts.output.entities) > 0', [ref('steps', { id: 'accounts' })]],
    ['inputs.ticket & connections.vt.baseUrl', [ref('inputs', { name: 'ticket' }), ref('connections', { name: 'vt' })]],
    ['ip.address', [ref('ip', { name: 'address' })]],
    ['incident', [ref('incident', { dynamic: true })]],
    ['$$.steps.vt.output', [ref('steps', { id: 'vt' })]],
    ['$.vars.x', [ref('vars', { name: 'x' })]],
    ['vars.a ? steps.b.output : inputs.c', [ref('vars', { name: 'a' }), ref('steps', { id: 'b' }), ref('inputs', { name: 'c' })]],
    ['steps.vt.output[0]', [ref('steps', { id: 'vt' })]],
  ])('%s', (text, expected) => {
    expect(refs(text)).toEqual(expected);
  });

  it('does not count paths read relative to something else', () => {
    expect(refs('steps.list.output[kind = "Ip" and incident.x].address')).toEqual([ref('steps', { id: 'list' })]);
    expect(refs('steps.a.output.$substring(title, 0, 2)')).toEqual([ref('steps', { id: 'a' })]);
    expect(refs('incident ~> | tags | {"x": vars.y} |')).toEqual([ref('incident', { dynamic: true })]);
    expect(refs('steps.a.output{name: value}')).toEqual([ref('steps', { id: 'a' })]);
    expect(refs('steps.a.output^(vars.z)')).toEqual([ref('steps', { id: 'a' })]);
  });

  it('follows lambdas, which read from where they are defined', () => {
    expect(refs('$map(steps.a.output, function($v) { $v.x & incident.title })')).toEqual([
      ref('steps', { id: 'a' }),
      ref('incident', { name: 'title' }),
    ]);
  });

  it('says when it cannot know what is read', () => {
    expect(refs('steps[0]')).toEqual([ref('steps', { dynamic: true })]);
    expect(refs('steps.*.output')).toEqual([ref('steps', { dynamic: true })]);
    expect(refs('$lookup(steps, vars.k)')).toEqual([ref('steps', { dynamic: true }), ref('vars', { name: 'k' })]);
    expect(refs('$lookup($$, "steps")')).toEqual([ref('$', { dynamic: true })]);
    expect(refs('$keys($)')).toEqual([ref('$', { dynamic: true })]);
    expect(refs('**.password')).toEqual([ref('$', { dynamic: true })]);
    expect(refs('steps.x[$$.vars.i = 1]')).toEqual([ref('steps', { id: 'x' }), ref('vars', { name: 'i' })]);
  });

  it('gives positions in the field', () => {
    const [first] = compileExpression('${{ vars.a }}', 'steps[1].if').references();
    expect(first).toEqual({ root: 'vars', name: 'a', position: 8, path: 'steps[1].if' });
  });
});
