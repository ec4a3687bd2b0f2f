import type { Executor } from '../storage/dialect.js';
import { compileRule, type CompiledRule } from './rule-engine.js';
import { automationVersion, listRuleRecords } from './rule-repository.js';

/**
 * Compiled rules per workspace, kept while the workspace's `automation_version` is unchanged: rules
 * are compiled once when they change, not for every incident. Safe across processes, because the
 * version lives in the database and is read in the caller's transaction.
 */
export class RuleCache {
  readonly #entries = new Map<string, { version: number; rules: CompiledRule[] }>();

  /** The workspace's compiled rules; `knownVersion` saves a read when the caller has the workspace row. */
  async rules(db: Executor, workspaceId: string, knownVersion?: number): Promise<CompiledRule[]> {
    const version = knownVersion ?? (await automationVersion(db, workspaceId));
    const cached = this.#entries.get(workspaceId);
    if (cached && cached.version === version) return cached.rules;
    // Scopes hold analytics rule ids (the service resolves names and source ids when a rule is saved).
    const rules = (await listRuleRecords(db, workspaceId)).map((r) =>
      compileRule({ ...r, scopeIdentifiers: r.analyticsRuleIds }),
    );
    this.#entries.set(workspaceId, { version, rules });
    return rules;
  }
}
