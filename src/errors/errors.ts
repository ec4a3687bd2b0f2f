/**
 * The few named errors services throw. One handler (http/error-handler.ts) turns them into the
 * API error body; the CLI prints their message. Messages are written for the person who sent the
 * request and quote what they sent.
 */

/** A problem detail: which field, and what is wrong with it. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** Base class: an error a client can act on, with a stable code and an HTTP status. */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly details?: ErrorDetail[] | Record<string, unknown>;

  constructor(message: string, details?: ErrorDetail[] | Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** The request is malformed or breaks a rule of the model (400). */
export class InputError extends AppError {
  readonly status = 400;
  readonly code = 'invalid_input';
}

/** The request is well formed but breaks a business rule, e.g. closing without a classification (422). */
export class RuleViolationError extends AppError {
  readonly status = 422;
  readonly code = 'rule_violation';
}

/** A size or count limit was exceeded; the message names the limit (413). */
export class LimitExceededError extends AppError {
  readonly status = 413;
  readonly code = 'limit_exceeded';
}

/** The resource does not exist, or exists in a workspace the caller cannot see (404). */
export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
}

/** The request conflicts with the current state, e.g. a duplicate name (409). */
export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
}

/** The caller's If-Match etag is stale: someone else changed the resource first (412). */
export class PreconditionFailedError extends AppError {
  readonly status = 412;
  readonly code = 'precondition_failed';
}

/** No valid credentials were presented (401). */
export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthorized';
}

/** The caller is known but lacks the permission for this action (403). */
export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
}

/** Too many requests, e.g. login attempts (429). */
export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly code = 'rate_limited';
}
