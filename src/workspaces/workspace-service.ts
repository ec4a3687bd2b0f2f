import { DEFAULT_GROUPING } from '../analytics-rules/grouping.js';
import { grantRole, workspacesOfUser } from '../auth/membership.js';
import { requirePermission, type Access, type Role } from '../auth/permissions.js';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError } from '../errors/errors.js';
import { resolvePrincipal, type PrincipalInput } from './member-service.js';
import { isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import type { Storage } from '../storage/database.js';
import {
  findWorkspace,
  findWorkspaces,
  insertWorkspace,
  updateWorkspaceRow,
  type WorkspaceRecord,
} from './workspace-repository.js';
import type { Workspace, WorkspacePatch } from './workspace-schemas.js';

/** A workspace as the API returns it, with the caller's roles. */
export function toWorkspace(record: WorkspaceRecord, roles: Access['roles']): Workspace {
  return {
    id: record.id,
    name: record.name,
    settings: record.settings,
    archived: record.archivedAt !== null,
    roles,
    createdAt: isoTime(record.createdAt),
    updatedAt: isoTime(record.updatedAt),
    etag: etagOf(record.version),
  };
}

/** Workspaces: the caller's list, creation and archiving (administrators), name and settings (Owners). */
export type WorkspaceService = ReturnType<typeof createWorkspaceService>;

/** Builds the workspace service. */
export function createWorkspaceService({ storage, now = Date.now }: { storage: Storage; now?: () => number }) {
  const { db } = storage;

  async function setArchived(id: string, archived: boolean): Promise<WorkspaceRecord> {
    const current = await findWorkspace(db, id);
    if (!current) throw new NotFoundError(`Workspace ${id} not found`);
    const next = {
      ...current,
      archivedAt: archived ? (current.archivedAt ?? now()) : null,
      updatedAt: now(),
      version: current.version + 1,
    };
    if (!(await updateWorkspaceRow(db, next, current.version))) {
      throw new PreconditionFailedError(`Workspace ${id} was changed at the same moment; try again`);
    }
    return next;
  }

  return {
    /** The workspaces the caller belongs to (administrators: every workspace with `all`), with their roles. */
    async list(access: Access, options: { all?: boolean; archived?: boolean }): Promise<Workspace[]> {
      const isAdmin = access.user?.isAdmin || access.via === 'local';
      if (options.all && !isAdmin) throw new ForbiddenError('Only administrators may list every workspace');
      const memberships = access.via === 'local' ? new Map<string, Role[]>() : await workspacesOfUser(db, access.user!.id);
      const records = await findWorkspaces(db, options.all || access.via === 'local' ? undefined : [...memberships.keys()]);
      return records
        .filter((w) => options.archived || w.archivedAt === null)
        .map((w) => toWorkspace(w, access.via === 'local' ? ['Owner'] : (memberships.get(w.id) ?? [])));
    },

    /** Creates a workspace (administrators); its first Owner is the given user or group, else the creator. */
    async create(access: Access, input: { id: string; name: string; owner?: PrincipalInput }): Promise<Workspace> {
      if (await findWorkspace(db, input.id)) throw new ConflictError(`A workspace with id ${input.id} already exists`);
      const at = now();
      const record: WorkspaceRecord = {
        id: input.id,
        name: input.name,
        settings: { defaultGrouping: DEFAULT_GROUPING },
        createdAt: at,
        updatedAt: at,
        archivedAt: null,
        version: 1,
        automationVersion: 0,
      };
      await db.transaction().execute(async (trx) => {
        await insertWorkspace(trx, record);
        const owner = input.owner ? await resolvePrincipal(trx, input.owner) : { type: 'user' as const, id: access.user!.id };
        await grantRole(trx, {
          workspaceId: record.id,
          principalType: owner.type,
          principalId: owner.id,
          role: 'Owner',
          grantedBy: access.user?.id ?? null,
          at,
        });
      });
      return toWorkspace(record, input.owner ? [] : ['Owner']);
    },

    /** Archives a workspace: it stays readable, nothing in it can change, it leaves the lists. */
    async archive(id: string): Promise<Workspace> {
      return toWorkspace(await setArchived(id, true), []);
    },

    /** Brings an archived workspace back. */
    async unarchive(id: string): Promise<Workspace> {
      return toWorkspace(await setArchived(id, false), []);
    },

    /** The request's workspace. */
    async get(access: Access): Promise<Workspace> {
      requirePermission(access, 'workspace.read');
      const record = await findWorkspace(db, access.workspaceId!);
      if (!record) throw new NotFoundError(`Workspace ${access.workspaceId} not found`);
      return toWorkspace(record, access.roles);
    },

    /** Renames the workspace or changes its settings (Owners). */
    async update(access: Access, patch: WorkspacePatch, ifMatch?: string): Promise<Workspace> {
      requirePermission(access, 'workspace.manage');
      const updated = await db.transaction().execute(async (trx) => {
        const current = await findWorkspace(trx, access.workspaceId!);
        if (!current) throw new NotFoundError(`Workspace ${access.workspaceId} not found`);
        if (ifMatch !== undefined && ifMatch !== String(current.version)) {
          throw new PreconditionFailedError('The workspace was changed since you read it; reload it and try again');
        }
        const next: WorkspaceRecord = {
          ...current,
          name: patch.name ?? current.name,
          settings: {
            ...current.settings,
            ...(patch.settings?.defaultGrouping ? { defaultGrouping: patch.settings.defaultGrouping } : {}),
          },
          updatedAt: now(),
          version: current.version + 1,
        };
        if (!(await updateWorkspaceRow(trx, next, current.version))) {
          throw new PreconditionFailedError('The workspace was changed since you read it; reload it and try again');
        }
        return next;
      });
      return toWorkspace(updated, access.roles);
    },
  };
}
