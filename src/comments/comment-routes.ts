import { z } from 'zod';
import { errorResponses, normalizeEtag, pageOf, paginationQuery } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import { incidentParams } from '../incidents/incident-schemas.js';
import { commentInputSchema, commentSchema } from './comment-schemas.js';
import type { CommentService } from './comment-service.js';

const BASE = '/api/v1/workspaces/:workspace/incidents/:incident/comments';
const tags = ['Comments'];
const commentParams = incidentParams.extend({ comment: z.string().min(1).max(64) });

/** HTTP routes for incident comments. */
export function registerCommentRoutes(server: VigilServer, comments: CommentService): void {
  server.get(BASE, {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: "List an incident's comments, newest first",
      params: incidentParams,
      querystring: z.object(paginationQuery),
      response: { 200: pageOf(commentSchema), ...errorResponses },
    },
    handler: (request) => comments.list(request.access, request.params.incident, request.query),
  });

  server.post(BASE, {
    config: { permission: 'incidents.write' },
    schema: {
      tags,
      summary: 'Add a comment (markdown, at most 30,000 characters; at most 100 per incident)',
      params: incidentParams,
      body: commentInputSchema,
      response: { 201: commentSchema, 413: errorResponses[400], 422: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const comment = await comments.add(request.access, request.params.incident, request.body.message);
      return reply.status(201).header('etag', comment.etag).send(comment);
    },
  });

  server.patch(`${BASE}/:comment`, {
    config: { permission: 'incidents.write' },
    schema: {
      tags,
      summary: 'Edit your comment',
      params: commentParams,
      headers: z.object({ 'if-match': z.string().max(100).optional() }),
      body: commentInputSchema,
      response: { 200: commentSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const comment = await comments.edit(
        request.access,
        request.params.incident,
        request.params.comment,
        request.body.message,
        normalizeEtag(request.headers['if-match']),
      );
      return reply.header('etag', comment.etag).send(comment);
    },
  });

  server.delete(`${BASE}/:comment`, {
    config: { permission: 'incidents.write' },
    schema: { tags, summary: 'Delete your comment', params: commentParams, response: { 204: z.null(), ...errorResponses } },
    handler: async (request, reply) => {
      await comments.remove(request.access, request.params.incident, request.params.comment);
      return reply.status(204).send(null);
    },
  });
}
