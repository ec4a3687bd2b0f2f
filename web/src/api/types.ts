// The API's shapes, inferred from the server's own zod schemas (type-only imports: no server code
// reaches the bundle). Pure value modules (enums, limits) are imported directly where needed.
import type { z } from 'zod';
import type { incidentSchema, incidentCountsSchema, bulkResultSchema } from '../../../src/incidents/incident-schemas.js';
import type { meSchema, userSummarySchema } from '../../../src/auth/auth-schemas.js';
import type { taskSchema } from '../../../src/tasks/task-schemas.js';
import type { activityEntrySchema } from '../../../src/activity/activity-schemas.js';
import type { Role, Permission } from '../../../src/auth/permissions.js';

export type { Role, Permission };
export type { Severity, IncidentStatus, Classification, ClassificationReason, Determination } from '../../../src/common/enums.js';
export type { Actor, ActorType } from '../../../src/common/actor.js';
export type { Owner, OwnerInput } from '../../../src/users/owner.js';

/** An incident as the API returns it. */
export type Incident = z.output<typeof incidentSchema>;
/** Counts by status and severity. */
export type IncidentCounts = z.output<typeof incidentCountsSchema>;
/** The result of a bulk change. */
export type BulkResult = z.output<typeof bulkResultSchema>;
/** The signed-in caller with their workspaces and roles. */
export type Me = z.output<typeof meSchema>;
/** A user as sign-in and /me return them. */
export type UserSummary = z.output<typeof userSummarySchema>;
/** An incident task. */
export type Task = z.output<typeof taskSchema>;
/** One activity-log entry (a change or a comment). */
export type ActivityEntry = z.output<typeof activityEntrySchema>;
