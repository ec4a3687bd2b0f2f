import { isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import type { PlaybookRecord } from './playbook-repository.js';
import type { Playbook, PlaybookDetail } from './playbook-schemas.js';
import type { Checked } from './playbook-validation.js';

/** A playbook as lists show it. */
export function toPlaybook(p: PlaybookRecord): Playbook {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    enabled: p.enabled,
    trigger: p.triggerKind,
    version: p.currentVersion,
    schedule:
      p.scheduleCron === null
        ? null
        : {
            cron: p.scheduleCron,
            timezone: p.scheduleTimezone ?? 'UTC',
            nextRunAt: p.nextRunAt === null ? null : isoTime(p.nextRunAt),
          },
    runs: {
      total: p.runsTotal,
      succeeded: p.runsSucceeded,
      failed: p.runsFailed,
      last:
        p.lastRunId && p.lastRunStatus && p.lastRunAt
          ? { id: p.lastRunId, status: p.lastRunStatus, at: isoTime(p.lastRunAt) }
          : null,
    },
    createdBy: p.createdBy,
    modifiedBy: p.modifiedBy,
    createdAt: isoTime(p.createdAt),
    updatedAt: isoTime(p.updatedAt),
    etag: etagOf(p.version),
  };
}

/** A playbook with the version just checked and saved (its webhook URL, if any, is added by the caller). */
export function toDetail(p: PlaybookRecord, checked: Checked): PlaybookDetail {
  return {
    ...toPlaybook(p),
    source: checked.source,
    format: checked.format,
    definition: checked.definition as unknown as Record<string, unknown>,
    webhook: null,
  };
}
