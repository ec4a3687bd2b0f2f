import { InputError } from '../errors/errors.js';
import { templateResources } from './arm-expressions.js';
import { ruleInputSchema } from './rule-schemas.js';
import {
  badInput,
  blank,
  fromSentinel,
  isJson,
  list,
  obj,
  text,
  type ConvertedRule,
  type Json,
  type Problem,
} from './sentinel-format.js';

/** Finds automation rules in the document shapes users bring: REST, ARM, REST examples, Vigil's export. */

/** A Vigil rule definition (the `vigil` export format) found in a document: validated as the API would. */
function fromVigil(o: Json, path: string): ConvertedRule {
  const parsed = ruleInputSchema.safeParse(o);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: issue.path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`), path),
      message: issue.message,
    }));
    throw new InputError(`${details[0]!.path}: ${details[0]!.message}`, details);
  }
  const actionSources = parsed.data.actions.map((_, i) => `${path}.actions[${i}]`);
  return { ...blank(path, null), name: parsed.data.name, input: parsed.data, actionSources };
}

const NOT_A_RULE =
  'is not an automation rule: expected a REST resource ({ properties }), its properties ({ displayName, triggeringLogic, actions }), ' +
  'a list ({ value: [...] }), a REST example file ({ parameters, responses }) or an ARM template ({ $schema, resources })';

function readOne(doc: unknown, path: string, rules: ConvertedRule[]): void {
  const o = obj(doc, path);
  if (!o) throw badInput(path, 'is required');
  if ('properties' in o) {
    const props = obj(o.properties, `${path}.properties`);
    if (!props) throw badInput(`${path}.properties`, 'is required');
    const id = text(o.name, `${path}.name`) ?? text(o.id, `${path}.id`)?.split('/').pop() ?? null;
    rules.push({ ...fromSentinel(props, `${path}.properties`, id), source: path });
  } else if ('triggeringLogic' in o || 'displayName' in o) rules.push(fromSentinel(o, path));
  else if ('trigger' in o && 'actions' in o) rules.push(fromVigil(o, path));
  else throw badInput(path, NOT_A_RULE);
}

function readTemplate(t: Json, path: string, parameters: unknown, rules: ConvertedRule[], warnings: Problem[]): void {
  const { resources, ignored } = templateResources(t, parameters, /(^|\/)automationRules$/i, path);
  warnings.push(...ignored);
  for (const { path: at, name, properties, unresolved } of resources) {
    const sourceId = typeof name === 'string' ? (name.split('/').pop() ?? null) : null;
    if (unresolved.some((u) => u.path.startsWith(`${at}.properties`))) {
      const display = isJson(properties) && typeof properties.displayName === 'string' ? properties.displayName : null;
      const skipped = 'required parts could not be resolved: supply the parameters they use';
      rules.push({ ...blank(at, sourceId), name: display, skipped, unresolved });
    } else if (!isJson(properties)) throw badInput(`${at}.properties`, 'is required');
    else rules.push({ ...fromSentinel(properties, `${at}.properties`, sourceId), source: at, unresolved });
  }
}

function readAny(doc: unknown, path: string, parameters: unknown, rules: ConvertedRule[], warnings: Problem[]): void {
  if (Array.isArray(doc)) return doc.forEach((d, i) => readOne(d, `${path}[${i}]`, rules));
  const o = obj(doc, path);
  if (!o) throw badInput(path, 'is required');
  if (Array.isArray(o.resources) && ('$schema' in o || 'contentVersion' in o))
    return readTemplate(o, path, parameters, rules, warnings);
  if (isJson(o.responses) && isJson(o.parameters)) {
    const params = o.parameters;
    const key =
      Object.keys(params).find((k) => k.toLowerCase() === 'automationrule') ??
      Object.keys(params).find(
        (k) => isJson(params[k]) && ('properties' in (params[k] as Json) || 'triggeringLogic' in (params[k] as Json)),
      );
    if (key) return readOne(params[key], `${path}.parameters.${key}`, rules);
    const responses = o.responses as Json;
    const code = ['200', '201'].find((c) => isJson(responses[c]) && (responses[c] as Json).body != null);
    const body = code ? (responses[code] as Json).body : undefined;
    if (!code || body == null)
      throw badInput(`${path}.responses`, 'has no automation rule: no request parameter holds one, and no 200/201 body');
    return readAny(body, `${path}.responses.${code}.body`, parameters, rules, warnings);
  }
  if ('value' in o && !('properties' in o) && !('triggeringLogic' in o))
    return list(o.value, `${path}.value`).forEach((d, i) => readOne(d, `${path}.value[${i}]`, rules));
  readOne(o, path, rules);
}

/**
 * Reads the rules of any accepted document — a REST resource, its bare properties, a list
 * (`{ value }`), a REST example file (any API version: the request's rule, else the response's),
 * an ARM template (with parameters supplied or defaulted), or Vigil's own export — and converts
 * them. A malformed document throws an InputError naming the path.
 */
export function readRules(document: unknown, parameters?: unknown): { rules: ConvertedRule[]; warnings: Problem[] } {
  const rules: ConvertedRule[] = [];
  const warnings: Problem[] = [];
  readAny(document, 'document', parameters, rules, warnings);
  const template = isJson(document) && Array.isArray(document.resources);
  if (!template && isJson(parameters) && Object.keys(parameters).length > 0)
    warnings.push({ path: 'parameters', message: 'parameters apply to ARM templates only; ignored' });
  if (rules.length === 0) throw badInput('document', 'holds no automation rule');
  return { rules, warnings };
}
