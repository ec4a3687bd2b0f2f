import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from '../errors/errors.js';
import type { VigilServer } from './types.js';
import { VALIDATION_ISSUES, type RequestValidationError } from './validation.js';

/** The API's error body: `{ error: { code, message, details } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

const PART_NAMES: Record<string, string> = {
  body: 'request body',
  querystring: 'query',
  params: 'path',
  headers: 'headers',
};

/** Maps Fastify's own client errors (bad JSON, too large, bad media type) to our error codes. */
function frameworkError(error: FastifyError): { status: number; code: string; message: string } | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'invalid_json', message: `The request body is not valid JSON: ${error.message}` };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: 'limit_exceeded',
        message: `The request body is larger than the limit of ${error.message.match(/\d+/)?.[0] ?? 'the server'} bytes`,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', message: 'Send the request body as application/json' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'invalid_input', message: 'The Content-Length header does not match the body' };
    default:
      break;
  }
  if (error instanceof SyntaxError || (error as { type?: string }).type === 'entity.parse.failed') {
    return { status: 400, code: 'invalid_json', message: `The request body is not valid JSON: ${error.message}` };
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, code: 'invalid_request', message: error.message };
  }
  return undefined;
}

/** Installs the one place where errors become API responses. Never sends a stack trace. */
export function installErrorHandler(app: VigilServer): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      return reply.status(error.status).send(body(error.code, error.message, error.details));
    }
    const validation = error as unknown as RequestValidationError;
    if (validation[VALIDATION_ISSUES] || Array.isArray(error.validation)) {
      const part = PART_NAMES[error.validationContext ?? 'body'] ?? 'request';
      const details: ErrorDetail[] =
        validation[VALIDATION_ISSUES] ??
        (error.validation ?? []).map((v) => ({ path: v.instancePath || '(body)', message: v.message ?? 'is invalid' }));
      const first = details[0];
      const message = first ? `Invalid ${part}: ${first.path} ${first.message}` : `Invalid ${part}`;
      return reply.status(400).send(body('invalid_input', message, details));
    }
    const known = frameworkError(error);
    if (known) return reply.status(known.status).send(body(known.code, known.message));
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(body('internal', 'Something went wrong on the server; the error was logged.'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(body('not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}
