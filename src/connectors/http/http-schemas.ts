import { z } from 'zod';
import { allowlistSetting } from '../connector-kit.js';
import { DEFAULT_MAX_BYTES } from '../outbound/http-client.js';

/** Settings, secrets, input and output of the HTTP connector. */

const AUTH_KINDS = ['none', 'basic', 'bearer', 'apiKey', 'oauth2'] as const;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;

/** Non-secret settings of an HTTP connection: where, how to authenticate, what internal hosts it may reach. */
export const httpSettings = z
  .object({
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
      .optional()
      .describe('Requests with a relative url go here; absolute urls must then share its origin.'),
    auth: z.enum(AUTH_KINDS).default('none').describe('none, basic, bearer, apiKey or oauth2 (client credentials).'),
    username: z.string().max(200).optional().describe('Basic auth user name (the password is a secret).'),
    apiKeyName: z.string().min(1).max(200).optional().describe('Header or query parameter carrying the API key.'),
    apiKeyIn: z.enum(['header', 'query']).default('header'),
    tokenUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('OAuth2 token endpoint.'),
    clientId: z.string().max(500).optional().describe('OAuth2 client id.'),
    scope: z.string().max(1000).optional().describe('OAuth2 scope, e.g. "https://graph.microsoft.com/.default".'),
    clientAuth: z
      .enum(['body', 'basic'])
      .default('body')
      .describe('How the OAuth2 client authenticates: form fields or HTTP Basic.'),
    allowlist: allowlistSetting,
  })
  .superRefine((s, ctx) => {
    const need = (ok: unknown, path: string, message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (s.auth === 'basic') need(s.username, 'username', 'is required for basic auth');
    if (s.auth === 'apiKey') need(s.apiKeyName, 'apiKeyName', 'is required for apiKey auth');
    if (s.auth === 'oauth2') need(s.tokenUrl, 'tokenUrl', 'is required for oauth2 auth');
    if (s.auth === 'oauth2') need(s.clientId, 'clientId', 'is required for oauth2 auth');
  });

/** Settings after defaults. */
export type HttpSettings = z.output<typeof httpSettings>;

/** Secret fields of an HTTP connection (each used by one auth kind). */
export const httpSecrets = z.object({
  password: z.string().optional().describe('Basic auth password.'),
  token: z.string().optional().describe('Bearer token.'),
  apiKey: z.string().optional().describe('API key.'),
  clientSecret: z.string().optional().describe('OAuth2 client secret.'),
});

/** Secrets after parsing. */
export type HttpSecrets = z.output<typeof httpSecrets>;

const queryValue = z.union([z.string(), z.number(), z.boolean()]);

/** Input of `http.request`. */
export const httpRequestInput = z.object({
  method: z.enum(METHODS).default('GET'),
  url: z.string().min(1).max(8192).describe("Absolute URL, or a path relative to the connection's baseUrl."),
  headers: z.record(z.string(), z.string()).default({}),
  query: z
    .record(z.string(), z.union([queryValue, z.array(queryValue)]))
    .default({})
    .describe('Query parameters added to the URL (a list repeats the parameter).'),
  body: z
    .unknown()
    .optional()
    .describe('A string is sent as is (text/plain unless a content-type header says otherwise); anything else as JSON.'),
  failOnStatus: z.boolean().default(true).describe('Fail the step on a 4xx/5xx answer (429 and 5xx are retryable).'),
  followRedirects: z.boolean().default(true).describe('Follow up to 5 redirects, each target checked like the first.'),
  maxResponseBytes: z.number().int().min(1).max(MAX_RESPONSE_BYTES).default(DEFAULT_MAX_BYTES),
  idempotencyHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/)
    .optional()
    .describe("Send the step's idempotency key in this header (e.g. Idempotency-Key) so the service can drop a repeat."),
});

/** Output of `http.request`. */
export const httpRequestOutput = z.object({
  status: z.number().int(),
  ok: z.boolean().describe('Whether the status is 2xx.'),
  headers: z.record(z.string(), z.string()),
  body: z.unknown().describe('Parsed JSON when the content type is JSON, else text.'),
  url: z.string().describe('The URL that answered, after redirects.'),
});

/** Parsed input. */
export type HttpRequestInput = z.output<typeof httpRequestInput>;
/** The output. */
export type HttpRequestOutput = z.output<typeof httpRequestOutput>;
