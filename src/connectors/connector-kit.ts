import { z } from 'zod';
import { redactSecrets, redactText } from '../connections/secret-box.js';
import { ActionError, type ActionContext, type ActionDefinition, type ResolvedConnection } from './action.js';
import { allowlistProblems } from './outbound/allowlist.js';
import { egressPolicy, type EgressOptions, type EgressPolicy } from './outbound/egress-guard.js';
import type { TokenCache } from './outbound/oauth2.js';

/** What the external connectors share: the server's egress options and one OAuth2 token cache. */
export interface ConnectorDeps {
  egress: EgressOptions;
  tokens: TokenCache;
}

/**
 * An action whose output may carry a value that must be treated as a secret (a generated
 * password): `secretOutputs` names those output fields, so the engine can add their values to the
 * run's redaction list.
 */
export type ConnectorAction<I = any, O = any> = ActionDefinition<I, O> & { secretOutputs?: string[] };

/** The `allowlist` connection setting: destinations this connection may reach although they are internal. */
export const allowlistSetting = z
  .array(z.string().min(1).max(300))
  .max(100)
  .default([])
  .superRefine((entries, ctx) => {
    for (const problem of allowlistProblems(entries)) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe(
    'Hosts, IP addresses or networks (optionally with :port) this connection may reach although they are loopback, private or link-local, e.g. "10.0.0.0/8" or "intranet.example:8443".',
  );

/** An http(s) base URL setting with its default. */
export function baseUrlSetting(defaultUrl: string, description: string) {
  return z
    .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
    .default(defaultUrl)
    .describe(description);
}

/** The step's connection; throws when the step has none. */
export function requireConnection(context: ActionContext, connector: string): ResolvedConnection {
  const connection = context.connection;
  if (!connection) throw new ActionError(`The step needs a ${connector} connection (set \`connection:\` on the step).`);
  return connection;
}

/** A connection's settings or secrets, validated (defaults applied) against the connector's schema. */
export function parseConnection<T>(schema: z.ZodType<T>, value: unknown, what: string, connection: ResolvedConnection): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new ActionError(`The ${what} of connection "${connection.name}" are invalid: ${problems}`);
}

/** The egress policy for a call made with this connection's settings. */
export function policyFor(deps: ConnectorDeps, settings: { allowlist?: readonly string[] }): EgressPolicy {
  return egressPolicy(deps.egress, settings.allowlist ?? []);
}

/** Secret values of a connection, for redaction. */
export function secretValues(connection: ResolvedConnection | undefined): string[] {
  return Object.values(connection?.secrets ?? {}).filter((v): v is string => typeof v === 'string');
}

/** A copy of an error with every secret removed from its message, stack and details. */
export function redactError(error: unknown, secrets: string[]): unknown {
  if (secrets.length === 0) return error;
  if (error instanceof ActionError) {
    const details = error.details && (redactSecrets(error.details, secrets) as Record<string, unknown>);
    const copy = new ActionError(redactText(error.message, secrets), error.retryable, details);
    copy.name = error.name;
    return copy;
  }
  if (error instanceof Error) {
    error.message = redactText(error.message, secrets);
    if (error.stack) error.stack = redactText(error.stack, secrets);
  }
  return error;
}

/** Wraps an action so neither its output nor its errors can carry the connection's secrets. */
export function withSecretRedaction<I, O>(action: ConnectorAction<I, O>): ConnectorAction<I, O> {
  return {
    ...action,
    async run(context, input) {
      const secrets = secretValues(context.connection);
      try {
        const output = await action.run(context, input);
        return secrets.length === 0 ? output : (redactSecrets(output, secrets) as O);
      } catch (error) {
        throw redactError(error, secrets);
      }
    },
  };
}

/** Wraps a connection test the same way: its error messages never carry the connection's secrets. */
export function redactingTest(
  test: (connection: ResolvedConnection, signal: AbortSignal) => Promise<void>,
): (connection: ResolvedConnection, signal: AbortSignal) => Promise<void> {
  return async (connection, signal) => {
    try {
      await test(connection, signal);
    } catch (error) {
      throw redactError(error, secretValues(connection));
    }
  };
}
