import { NotFoundError } from '../errors/errors.js';
import type { Executor } from '../storage/dialect.js';
import type { PlaybookDefinition } from './definition/definition-types.js';
import { findVersion } from './playbook-repository.js';

const MAX_ENTRIES = 500;

/**
 * Definitions by (workspace, playbook, version). Versions never change once saved, so entries
 * never go stale; the least recently used are dropped past 500. Keeping the same object also
 * keeps its compiled expressions (compiled once per process).
 */
export function createDefinitionCache(db: Executor) {
  const entries = new Map<string, PlaybookDefinition>();
  return {
    async get(workspaceId: string, playbookId: string, version: number): Promise<PlaybookDefinition> {
      const key = `${workspaceId}\u0000${playbookId}\u0000${version}`;
      let definition = entries.get(key);
      if (definition) {
        entries.delete(key);
      } else {
        const found = await findVersion(db, workspaceId, playbookId, version);
        if (!found?.definition) throw new NotFoundError(`Version ${version} of playbook ${playbookId} has no definition`);
        definition = found.definition;
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      }
      entries.set(key, definition);
      return definition;
    },
  };
}
