import { z } from 'zod';
import { AppError } from '../errors/errors.js';
import { errorResponses, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import { confirmPage, PAGE_HEADERS, resultPage } from './approval-page.js';
import { approvalAnswerSchema, approvalSchema } from './approval-schemas.js';
import type { ApprovalService } from './approval-service.js';

const tags = ['Approvals'];
const idParams = z.object({ id: z.string().min(1).max(64) });
const tokenParams = z.object({ token: z.string().min(1).max(200) });
const statuses = ['pending', 'answered', 'expired', 'cancelled'] as const;

/** HTTP routes for approvals: the API for people signed in, and the one-time link pages for email and chat. */
export function registerApprovalRoutes(server: VigilServer, approvals: ApprovalService): void {
  server.get('/api/v1/workspaces/:workspace/approvals', {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: "The workspace's approval requests, newest first (pending by default)",
      params: workspaceParams,
      querystring: z.object({
        status: z
          .union([z.enum(statuses), z.array(z.enum(statuses))])
          .optional()
          .transform((v) => (v === undefined ? undefined : [v].flat())),
        runId: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { 200: z.object({ items: z.array(approvalSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await approvals.list(request.access, request.query) }),
  });

  server.get('/api/v1/approvals/:id', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      summary: 'An approval request (in any of your workspaces)',
      params: idParams,
      response: { 200: approvalSchema, ...errorResponses },
    },
    handler: (request) => approvals.get(request.access, request.params.id),
  });

  server.post('/api/v1/approvals/:id', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      summary: 'Answer an approval request with one of its choices; the waiting run resumes',
      params: idParams,
      body: approvalAnswerSchema,
      response: { 200: approvalSchema, ...errorResponses },
    },
    handler: (request) => approvals.answer(request.access, request.params.id, request.body.choice),
  });

  server.get('/approve/:token', {
    config: { permission: 'public', secretUrl: true },
    schema: { hide: true, params: tokenParams, querystring: z.object({ choice: z.string().max(200).optional() }) },
    handler: async (request, reply) => {
      reply.headers(PAGE_HEADERS);
      try {
        const { approval, usable } = await approvals.byLink(request.params.token);
        return reply.send(confirmPage(approval, request.query.choice, usable));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return reply.status(error.status).send(resultPage(undefined, error.message, false));
      }
    },
  });

  server.post('/approve/:token', {
    config: { permission: 'public', secretUrl: true, formBody: true },
    schema: { hide: true, params: tokenParams, body: z.object({ choice: z.string().min(1).max(200) }) },
    handler: async (request, reply) => {
      reply.headers(PAGE_HEADERS);
      try {
        const approval = await approvals.answerByLink(request.params.token, request.body.choice);
        return reply.send(resultPage(approval, `Your answer "${approval.choice}" was recorded; the playbook continues.`, true));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return reply.status(error.status).send(resultPage(undefined, error.message, false));
      }
    },
  });
}
