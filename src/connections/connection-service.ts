import type { z } from 'zod';
import { requirePermission, type Access } from '../auth/permissions.js';
import type { ConnectorDefinition, ResolvedConnection } from '../connectors/action.js';
import { ConflictError, InputError, NotFoundError, PreconditionFailedError } from '../errors/errors.js';
import { isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import { newId } from '../ids/ids.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { fromJson } from '../storage/json.js';
import {
  connectionToRow,
  findConnection,
  findConnectionsByName,
  listConnectionRecords,
  updateConnectionRow,
  type ConnectionRecord,
} from './connection-repository.js';
import type { Connection, ConnectionCreate, ConnectionPatch } from './connection-schemas.js';
import { openSecrets, redactText, sealSecrets, type SecretKey } from './secret-box.js';

const TEST_TIMEOUT_MS = 15_000;

/** A connection as the API shows it: settings, which secret fields are set, never their values. */
export function toConnection(c: ConnectionRecord): Connection {
  return {
    id: c.id,
    name: c.name,
    connector: c.connector,
    description: c.description,
    settings: c.settings,
    secrets: c.secretFields,
    status: c.status,
    statusMessage: c.statusMessage,
    checkedAt: c.checkedAt === null ? null : isoTime(c.checkedAt),
    createdBy: c.createdBy,
    modifiedBy: c.modifiedBy,
    createdAt: isoTime(c.createdAt),
    updatedAt: isoTime(c.updatedAt),
    etag: etagOf(c.version),
  };
}

function problemsOf(prefix: string, issues: { path: PropertyKey[]; message: string }[]) {
  return issues.map((i) => ({ path: [prefix, ...i.path.map(String)].join('.'), message: i.message }));
}

/** "is required" for a missing field, zod's own message otherwise. */
const fieldErrors: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;

/** The field names of a connector's settings or secrets schema (a zod object, possibly refined). */
function fieldNames(schema: z.ZodType): string[] | undefined {
  const shape = (schema as unknown as { shape?: unknown }).shape;
  return typeof shape === 'object' && shape !== null ? Object.keys(shape) : undefined;
}

/** A problem for each field the connector does not have (a typo would otherwise be dropped silently). */
function unknownFields(prefix: string, schema: z.ZodType, value: unknown) {
  const names = fieldNames(schema);
  if (!names || typeof value !== 'object' || value === null) return [];
  return Object.keys(value)
    .filter((key) => !names.includes(key))
    .map((key) => ({
      path: `${prefix}.${key}`,
      message: `unknown field; the ${prefix} of this connector are ${names.join(', ') || 'none'}`,
    }));
}

/** Connections: credentials and settings playbooks use to reach outside services. */
export type ConnectionService = ReturnType<typeof createConnectionService>;

/** Builds the connection service. */
export function createConnectionService({
  storage,
  now = Date.now,
  secretKey,
  connectorOf,
}: {
  storage: Storage;
  now?: () => number;
  /** Loaded on first use (creating the key file if needed). */
  secretKey: () => SecretKey;
  connectorOf: (id: string) => ConnectorDefinition | undefined;
}) {
  const { db } = storage;
  const context = (c: { workspaceId: string; id: string }) => `${c.workspaceId}/${c.id}`;
  const secretsOf = (c: ConnectionRecord) => (c.sealedSecrets ? openSecrets(secretKey(), c.sealedSecrets, context(c)) : {});

  function connectorFor(id: string): ConnectorDefinition {
    const connector = connectorOf(id);
    if (!connector || connector.connection === 'none') {
      throw new InputError(`connector: ${JSON.stringify(id)} is not a connector that takes connections`, [
        { path: 'connector', message: 'unknown connector' },
      ]);
    }
    return connector;
  }

  /** Validates settings and the full set of secrets against the connector; returns them normalized. */
  function validated(connector: ConnectorDefinition, settings: unknown, secrets: Record<string, string>) {
    const s = connector.settings.safeParse(settings ?? {}, { error: fieldErrors });
    const k = connector.secrets.safeParse(secrets, { error: fieldErrors });
    const problems = [
      ...unknownFields('settings', connector.settings, settings),
      ...(s.success ? [] : problemsOf('settings', s.error.issues)),
      ...unknownFields('secrets', connector.secrets, secrets),
      ...(k.success ? [] : problemsOf('secrets', k.error.issues)),
    ];
    if (problems.length > 0) throw new InputError(`${problems[0]!.path}: ${problems[0]!.message}`, problems);
    return { settings: s.data as Record<string, unknown>, secrets: k.data as Record<string, string> };
  }

  function seal(c: ConnectionRecord, secrets: Record<string, string>): Pick<ConnectionRecord, 'sealedSecrets' | 'secretFields'> {
    const fields = Object.keys(secrets).sort();
    return { sealedSecrets: fields.length > 0 ? sealSecrets(secretKey(), secrets, context(c)) : null, secretFields: fields };
  }

  async function requireConnection(executor: Executor, access: Access, ref: string): Promise<ConnectionRecord> {
    const found = await findConnection(executor, access.workspaceId!, ref);
    if (!found) throw new NotFoundError(`Connection ${ref} not found in workspace ${access.workspaceId}`);
    return found;
  }

  async function playbooksUsing(executor: Executor, workspaceId: string, name: string): Promise<string[]> {
    const rows = await executor
      .selectFrom('playbooks as p')
      .innerJoin('playbook_versions as v', (j) =>
        j
          .onRef('v.workspace_id', '=', 'p.workspace_id')
          .onRef('v.playbook_id', '=', 'p.id')
          .onRef('v.version', '=', 'p.current_version'),
      )
      .select(['p.name', 'v.definition'])
      .where('p.workspace_id', '=', workspaceId)
      .where('p.enabled', '=', 1)
      .execute();
    const key = name.trim().toLowerCase();
    return rows
      .filter((r) =>
        Object.values(fromJson<{ connections?: Record<string, string> }>(r.definition, {}).connections ?? {}).some(
          (n) => n.toLowerCase() === key,
        ),
      )
      .map((r) => r.name);
  }

  return {
    /** The workspace's connections (optionally of one connector). */
    async list(access: Access, connector?: string): Promise<Connection[]> {
      requirePermission(access, 'playbooks.read');
      return (await listConnectionRecords(db, access.workspaceId!, connector)).map(toConnection);
    },

    /** One connection by id or name. */
    async get(access: Access, ref: string): Promise<Connection> {
      requirePermission(access, 'playbooks.read');
      return toConnection(await requireConnection(db, access, ref));
    },

    /** Creates a connection; its secrets are sealed before they are stored. */
    async create(access: Access, input: ConnectionCreate): Promise<Connection> {
      requirePermission(access, 'playbooks.write');
      const connector = connectorFor(input.connector);
      const given = Object.fromEntries(Object.entries(input.secrets).filter((e): e is [string, string] => e[1] !== null));
      const { settings, secrets } = validated(connector, input.settings, given);
      const at = now();
      const base: ConnectionRecord = {
        workspaceId: access.workspaceId!,
        id: newId(at),
        name: input.name,
        connector: connector.id,
        description: input.description,
        settings,
        sealedSecrets: null,
        secretFields: [],
        status: 'untested',
        statusMessage: null,
        checkedAt: null,
        createdBy: access.actor,
        modifiedBy: access.actor,
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      const record = { ...base, ...seal(base, secrets) };
      await db.transaction().execute(async (trx) => {
        if (await findConnection(trx, record.workspaceId, record.name)) {
          throw new ConflictError(
            `A connection named ${JSON.stringify(record.name)} already exists in workspace ${record.workspaceId}`,
          );
        }
        await trx.insertInto('connections').values(connectionToRow(record)).execute();
      });
      return toConnection(record);
    },

    /** Changes a connection; secrets not named are kept, a secret set to null is removed. */
    async update(access: Access, ref: string, patch: ConnectionPatch, ifMatch?: string): Promise<Connection> {
      requirePermission(access, 'playbooks.write');
      const next = await db.transaction().execute(async (trx) => {
        const current = await requireConnection(trx, access, ref);
        if (ifMatch !== undefined && ifMatch !== String(current.version)) {
          throw new PreconditionFailedError(`Connection ${current.name} was changed by someone else; reload it and try again`);
        }
        if (patch.name && patch.name.trim().toLowerCase() !== current.name.trim().toLowerCase()) {
          if (await findConnection(trx, current.workspaceId, patch.name)) {
            throw new ConflictError(
              `A connection named ${JSON.stringify(patch.name)} already exists in workspace ${current.workspaceId}`,
            );
          }
          const users = await playbooksUsing(trx, current.workspaceId, current.name);
          if (users.length > 0)
            throw new ConflictError(
              `Connection ${current.name} is used by enabled playbooks (${users.join(', ')}); rename it there first`,
            );
        }
        const merged = { ...secretsOf(current) };
        for (const [field, value] of Object.entries(patch.secrets ?? {})) {
          if (value === null) delete merged[field];
          else merged[field] = value;
        }
        const { settings, secrets } = validated(connectorFor(current.connector), patch.settings ?? current.settings, merged);
        const record: ConnectionRecord = {
          ...current,
          name: patch.name ?? current.name,
          description: patch.description ?? current.description,
          settings,
          status: 'untested',
          statusMessage: null,
          modifiedBy: access.actor,
          updatedAt: now(),
          version: current.version + 1,
        };
        const sealedRecord = { ...record, ...seal(record, secrets) };
        if (!(await updateConnectionRow(trx, sealedRecord, current.version))) {
          throw new PreconditionFailedError(`Connection ${current.name} was changed by someone else; reload it and try again`);
        }
        return sealedRecord;
      });
      return toConnection(next);
    },

    /** Deletes a connection no enabled playbook uses. */
    async remove(access: Access, ref: string): Promise<void> {
      requirePermission(access, 'playbooks.write');
      await db.transaction().execute(async (trx) => {
        const current = await requireConnection(trx, access, ref);
        const users = await playbooksUsing(trx, current.workspaceId, current.name);
        if (users.length > 0)
          throw new ConflictError(`Connection ${current.name} is used by enabled playbooks: ${users.join(', ')}`);
        await trx
          .deleteFrom('connections')
          .where('workspace_id', '=', current.workspaceId)
          .where('id', '=', current.id)
          .execute();
      });
    },

    /** Tries the connection (an authenticated call to the service) and records the status. */
    async test(access: Access, ref: string): Promise<Connection> {
      requirePermission(access, 'playbooks.write');
      const current = await requireConnection(db, access, ref);
      const connector = connectorFor(current.connector);
      const secrets = secretsOf(current);
      let status: ConnectionRecord['status'] = 'connected';
      let message: string | null = null;
      try {
        await connector.test?.(
          { id: current.id, name: current.name, connector: current.connector, settings: current.settings, secrets },
          AbortSignal.timeout(TEST_TIMEOUT_MS),
        );
      } catch (error) {
        status = 'error';
        message = redactText(error instanceof Error ? error.message : String(error), Object.values(secrets)).slice(0, 1000);
      }
      const at = now();
      await db
        .updateTable('connections')
        .set({ status, status_message: message, checked_at: at })
        .where('workspace_id', '=', current.workspaceId)
        .where('id', '=', current.id)
        .execute();
      return toConnection({ ...current, status, statusMessage: message, checkedAt: at });
    },

    /** Connections by name with their secrets opened, for a run (keyed by the names asked for). */
    async resolve(workspaceId: string, names: string[]): Promise<Map<string, ResolvedConnection>> {
      const found = await findConnectionsByName(db, workspaceId, names);
      const resolved = new Map<string, ResolvedConnection>();
      for (const name of names) {
        const c = found.find((f) => f.name.trim().toLowerCase() === name.trim().toLowerCase());
        if (c)
          resolved.set(name, { id: c.id, name: c.name, connector: c.connector, settings: c.settings, secrets: secretsOf(c) });
      }
      return resolved;
    },

    /** The connector of each named connection that exists (for validating playbooks). */
    async connectorsByName(executor: Executor, workspaceId: string, names: string[]): Promise<Map<string, string>> {
      const found = await findConnectionsByName(executor, workspaceId, names);
      return new Map(found.map((c) => [c.name.trim().toLowerCase(), c.connector]));
    },
  };
}
