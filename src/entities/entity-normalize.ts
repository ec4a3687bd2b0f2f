import { InputError, type ErrorDetail } from '../errors/errors.js';
import { ENTITY_KINDS, entityDisplayName, entityIdentity, resolveEntityKind, type EntityKind } from './entity-kinds.js';

/** An entity as Vigil stores it: canonical kind, camelCase properties (Sentinel's REST names), identity and name. */
export interface NormalizedEntity {
  kind: EntityKind;
  properties: Record<string, unknown>;
  identity: string;
  name: string;
}

type Json = Record<string, unknown>;

/** Properties whose generic camelCase spelling differs from Sentinel's REST name, per kind. */
const RENAMES: Partial<Record<EntityKind, Record<string, string>>> = {
  Account: { name: 'accountName' },
  File: { name: 'fileName' },
  FileHash: { value: 'hashValue' },
  CloudApplication: { name: 'appName' },
  Malware: { name: 'malwareName' },
  RegistryValue: { name: 'valueName', value: 'valueData' },
  Host: { oSFamily: 'osFamily', oSVersion: 'osVersion' },
};

/** Keys that describe the JSON document rather than the entity. */
const STRUCTURAL_KEYS = new Set(['$id', '$ref', 'type', 'kind', 'properties']);

/** "UPNSuffix" → "upnSuffix", "NTDomain" → "ntDomain", "PUID" → "puid", "AadUserId" → "aadUserId". */
export function camelCaseKey(key: string): string {
  const leading = /^[A-Z]+/.exec(key)?.[0] ?? '';
  if (leading.length === 0) return key;
  if (leading.length === key.length) return key.toLowerCase();
  if (leading.length === 1) return key[0]!.toLowerCase() + key.slice(1);
  const next = key[leading.length]!;
  const lowered = /[a-z]/.test(next) ? leading.length - 1 : leading.length;
  return key.slice(0, lowered).toLowerCase() + key.slice(lowered);
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Turns the entities of one alert, in any of the shapes sources send, into canonical entities:
 * - Sentinel's REST shape: `{ kind: "Account", properties: { accountName, upnSuffix } }`;
 * - Sentinel's alert-entity shape: `{ "$id": "2", "Type": "account", "Name": "…", "UPNSuffix": "…" }`,
 *   with entities nested inline (a process's `ImageFile`) extracted and `$ref` links dropped;
 * - a flat shape: `{ kind: "Ip", address: "10.0.0.1" }`.
 * Entities that describe the same thing twice in one alert are returned once.
 * Throws InputError naming the path of each entity it cannot read.
 */
export function normalizeEntities(input: unknown[], path: string): NormalizedEntity[] {
  const problems: ErrorDetail[] = [];
  const found: NormalizedEntity[] = [];
  const queue: { value: unknown; path: string }[] = input.map((value, index) => ({ value, path: `${path}[${index}]` }));

  while (queue.length > 0) {
    const { value, path: itemPath } = queue.shift()!;
    if (!isObject(value)) {
      problems.push({ path: itemPath, message: 'must be an object with a kind (or Type) and its properties' });
      continue;
    }
    if ('$ref' in value && Object.keys(value).length === 1) continue;
    const rawKind = value.kind ?? value.Type ?? value.type;
    if (typeof rawKind !== 'string' || rawKind.trim() === '') {
      problems.push({ path: `${itemPath}.kind`, message: `is required: one of ${ENTITY_KINDS.join(', ')}` });
      continue;
    }
    const kind = resolveEntityKind(rawKind);
    if (!kind) {
      problems.push({
        path: `${itemPath}.kind`,
        message: `"${rawKind}" is not an entity kind; expected one of ${ENTITY_KINDS.join(', ')}`,
      });
      continue;
    }
    const source = isObject(value.properties) ? value.properties : value;
    const properties: Json = {};
    for (const [key, propertyValue] of Object.entries(source)) {
      if (STRUCTURAL_KEYS.has(key.toLowerCase()) || propertyValue === null || propertyValue === undefined) continue;
      if (isObject(propertyValue) && ('$ref' in propertyValue || '$id' in propertyValue)) {
        if ('$id' in propertyValue) queue.push({ value: propertyValue, path: `${itemPath}.${key}` });
        continue;
      }
      if (Array.isArray(propertyValue) && propertyValue.some((item) => isObject(item) && ('$ref' in item || '$id' in item))) {
        propertyValue.forEach((item, index) => {
          if (isObject(item) && '$id' in item) queue.push({ value: item, path: `${itemPath}.${key}[${index}]` });
        });
        continue;
      }
      const camel = camelCaseKey(key);
      properties[RENAMES[kind]?.[camel] ?? camel] = propertyValue;
    }
    const identity = entityIdentity(kind, properties);
    if (found.some((entity) => entity.kind === kind && entity.identity === identity)) continue;
    found.push({ kind, properties, identity, name: entityDisplayName(kind, properties) });
  }

  if (problems.length > 0) {
    throw new InputError(`${problems[0]!.path} ${problems[0]!.message}`, problems);
  }
  return found;
}
