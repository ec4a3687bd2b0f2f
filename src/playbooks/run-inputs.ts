import { InputError } from '../errors/errors.js';
import type { InputDeclaration } from './definition/definition-types.js';

const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/**
 * A run's inputs from what the caller gave and what the playbook declares: defaults fill gaps,
 * required ones must be there, types must match. Undeclared inputs are refused (typos).
 */
export function resolveInputs(
  declared: Record<string, InputDeclaration>,
  given: Record<string, unknown>,
  path = 'inputs',
): Record<string, unknown> {
  const problems: { path: string; message: string }[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, declaration] of Object.entries(declared)) {
    const value = given[name];
    if (value === undefined || value === null) {
      if (declaration.default !== undefined) values[name] = declaration.default;
      else if (declaration.required) problems.push({ path: `${path}.${name}`, message: `is required (${declaration.type})` });
      continue;
    }
    if (typeOf(value) !== declaration.type) {
      problems.push({ path: `${path}.${name}`, message: `must be a ${declaration.type}; got ${typeOf(value)}` });
      continue;
    }
    values[name] = value;
  }
  for (const name of Object.keys(given)) {
    if (!(name in declared)) problems.push({ path: `${path}.${name}`, message: 'is not an input of this playbook' });
  }
  if (problems.length > 0) throw new InputError(`${problems[0]!.path}: ${problems[0]!.message}`, problems);
  return values;
}

/** Declared inputs picked from a webhook body (other fields stay readable as `trigger.payload`). */
export function inputsFromPayload(declared: Record<string, InputDeclaration>, payload: unknown): Record<string, unknown> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return resolveInputs(declared, {}, 'body');
  const body = payload as Record<string, unknown>;
  return resolveInputs(
    declared,
    Object.fromEntries(
      Object.keys(declared)
        .filter((k) => k in body)
        .map((k) => [k, body[k]]),
    ),
    'body',
  );
}
