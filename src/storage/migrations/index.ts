import type { Migration } from 'kysely';
import * as core from './0001-core.js';
import * as tasks from './0002-tasks.js';
import * as automation from './0003-automation.js';
import * as playbooks from './0004-playbooks.js';
import * as incidentExports from './0005-exports.js';
import * as events from './0006-events.js';
import * as notifications from './0007-notifications.js';
import * as counterShards from './0008-counter-shards.js';
import * as automationRecordGroups from './0009-automation-record-groups.js';
import * as postgresChildRowChecks from './0010-postgres-child-row-checks.js';
import * as postgresSearchWords from './0011-postgres-search-words.js';
import * as incidentTagsByTag from './0012-incident-tags-by-tag.js';

/**
 * Every migration, in order. Append-only: a released migration is never edited (a test compares
 * each file with the checksum recorded in checksums.json); changes go in a new file.
 */
export const migrations: Record<string, Migration> = {
  '0001-core': core,
  '0002-tasks': tasks,
  '0003-automation': automation,
  '0004-playbooks': playbooks,
  '0005-exports': incidentExports,
  '0006-events': events,
  '0007-notifications': notifications,
  '0008-counter-shards': counterShards,
  '0009-automation-record-groups': automationRecordGroups,
  '0010-postgres-child-row-checks': postgresChildRowChecks,
  '0011-postgres-search-words': postgresSearchWords,
  '0012-incident-tags-by-tag': incidentTagsByTag,
};
