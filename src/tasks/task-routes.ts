import { z } from 'zod';
import { errorResponses, normalizeEtag, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import { incidentParams } from '../incidents/incident-schemas.js';
import { taskReport, taskReportCsv } from './task-report.js';
import { taskCreateSchema, taskPatchSchema, taskReportQuerySchema, taskReportSchema, taskSchema } from './task-schemas.js';
import type { TaskService } from './task-service.js';
import type { Storage } from '../storage/database.js';

const BASE = '/api/v1/workspaces/:workspace/incidents/:incident/tasks';
const tags = ['Tasks'];
const taskParams = incidentParams.extend({ task: z.string().min(1).max(64) });
const etagHeaders = z.object({ 'if-match': z.string().max(100).optional() });

/** HTTP routes for incident tasks and the task report. */
export function registerTaskRoutes(
  server: VigilServer,
  tasks: TaskService,
  storage: Storage,
  now: () => number = Date.now,
): void {
  server.get(BASE, {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: "An incident's tasks, in order",
      params: incidentParams,
      response: { 200: z.object({ items: z.array(taskSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await tasks.list(request.access, request.params.incident) }),
  });

  server.post(BASE, {
    config: { permission: 'incidents.write' },
    schema: {
      tags,
      summary: 'Add a task (at most 40 per incident)',
      params: incidentParams,
      body: taskCreateSchema,
      response: { 201: taskSchema, 422: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const task = await tasks.add(request.access, request.params.incident, request.body);
      return reply.status(201).header('etag', task.etag).send(task);
    },
  });

  server.get(`${BASE}/:task`, {
    config: { permission: 'incidents.read' },
    schema: { tags, summary: 'Get a task', params: taskParams, response: { 200: taskSchema, ...errorResponses } },
    handler: async (request, reply) => {
      const task = await tasks.get(request.access, request.params.incident, request.params.task);
      return reply.header('etag', task.etag).send(task);
    },
  });

  server.patch(`${BASE}/:task`, {
    config: { permission: 'incidents.write' },
    schema: {
      tags,
      summary: 'Edit a task, mark it complete (status Completed) or re-open it (status New)',
      params: taskParams,
      headers: etagHeaders,
      body: taskPatchSchema,
      response: { 200: taskSchema, 412: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const task = await tasks.update(
        request.access,
        request.params.incident,
        request.params.task,
        request.body,
        normalizeEtag(request.headers['if-match']),
      );
      return reply.header('etag', task.etag).send(task);
    },
  });

  server.delete(`${BASE}/:task`, {
    config: { permission: 'incidents.write' },
    schema: {
      tags,
      summary: 'Delete a task (recorded in the activity log)',
      params: taskParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await tasks.remove(request.access, request.params.incident, request.params.task);
      return reply.status(204).send(null);
    },
  });

  server.get('/api/v1/workspaces/:workspace/reports/tasks', {
    config: { permission: 'incidents.read' },
    schema: {
      tags: ['Reports'],
      summary: 'Tasks per title: created, completed, open, time to complete, who completed them; JSON or CSV (format=csv)',
      params: workspaceParams,
      querystring: taskReportQuerySchema,
      response: { 200: taskReportSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const report = await taskReport(storage, request.access, request.query, now());
      if (request.query.format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="task-report-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv"`,
          )
          .serializer((payload: string) => payload)
          .send(taskReportCsv(report) as never);
      }
      return report;
    },
  });
}
