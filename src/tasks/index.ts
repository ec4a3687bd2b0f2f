/** Incident tasks: the checklist on every incident, and the task report. */
export { createTaskService, toTask, type TaskService } from './task-service.js';
export { registerTaskRoutes } from './task-routes.js';
export { addTasks, buildTasks, taskAddedActivity, taskSnapshot, type TaskIncident } from './task-changes.js';
export { insertTasks, type TaskRecord } from './task-repository.js';
export { TASK_LIMITS, type Task } from './task-schemas.js';
