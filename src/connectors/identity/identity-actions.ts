import type { z } from 'zod';
import { requireConnection, type ConnectorAction, type ConnectorDeps } from '../connector-kit.js';
import { graphClient } from './graph-client.js';
import {
  confirmCompromisedInput,
  confirmCompromisedOutput,
  disableOutput,
  resetPasswordInput,
  resetPasswordOutput,
  revokeOutput,
  userInput,
} from './identity-schemas.js';
import { temporaryPassword } from './temporary-password.js';

/** The identity provider's response actions, in Microsoft Graph's shape. */

type Out<T extends z.ZodType> = z.output<T>;

const clientFor = (deps: ConnectorDeps, context: Parameters<ConnectorAction['run']>[0]) =>
  graphClient(deps, requireConnection(context, 'identity'), context.signal, context.idempotencyKey);

/** `identity.confirmUserCompromised`: marks users as compromised in Identity Protection (risk: high). */
export function confirmCompromisedAction(
  deps: ConnectorDeps,
): ConnectorAction<Out<typeof confirmCompromisedInput>, Out<typeof confirmCompromisedOutput>> {
  return {
    id: 'identity.confirmUserCompromised',
    title: 'Confirm user compromised',
    description:
      'Confirms users as compromised in Entra ID Identity Protection, raising their user risk to high so risk policies apply.',
    input: confirmCompromisedInput,
    output: confirmCompromisedOutput,
    effect: 'write',
    async run(context, input) {
      const graph = clientFor(deps, context);
      const userIds: string[] = [];
      for (const user of input.users) userIds.push(await graph.userId(user));
      await graph.call('POST', '/identityProtection/riskyUsers/confirmCompromised', { userIds });
      return { userIds };
    },
  };
}

/** `identity.revokeSignInSessions`: invalidates the user's refresh tokens and session cookies. */
export function revokeSessionsAction(deps: ConnectorDeps): ConnectorAction<Out<typeof userInput>, Out<typeof revokeOutput>> {
  return {
    id: 'identity.revokeSignInSessions',
    title: 'Revoke sign-in sessions',
    description: 'Revokes all refresh tokens and session cookies of a user, so every application asks them to sign in again.',
    input: userInput,
    output: revokeOutput,
    effect: 'write',
    async run(context, input) {
      const graph = clientFor(deps, context);
      const userId = await graph.userId(input.user);
      const answer = (await graph.call('POST', `/users/${encodeURIComponent(userId)}/revokeSignInSessions`)) as {
        value?: unknown;
      };
      return { userId, revoked: answer?.value === true };
    },
  };
}

/** `identity.disableUser`: blocks sign-in (accountEnabled: false). */
export function disableUserAction(deps: ConnectorDeps): ConnectorAction<Out<typeof userInput>, Out<typeof disableOutput>> {
  return {
    id: 'identity.disableUser',
    title: 'Disable user',
    description: 'Disables a user account (accountEnabled: false) so it can no longer sign in.',
    input: userInput,
    output: disableOutput,
    effect: 'write',
    async run(context, input) {
      const graph = clientFor(deps, context);
      const userId = await graph.userId(input.user);
      await graph.call('PATCH', `/users/${encodeURIComponent(userId)}`, { accountEnabled: false });
      return { userId, accountEnabled: false as const };
    },
  };
}

/** `identity.resetPassword`: sets a new (by default generated) password; returned only when asked. */
export function resetPasswordAction(
  deps: ConnectorDeps,
): ConnectorAction<Out<typeof resetPasswordInput>, Out<typeof resetPasswordOutput>> {
  return {
    id: 'identity.resetPassword',
    title: 'Reset password',
    description:
      'Sets a new password for a user (a strong random one unless given), by default to be changed at next sign-in. The password is returned only with returnPassword: true, and is then redacted from run logs.',
    input: resetPasswordInput,
    output: resetPasswordOutput,
    effect: 'write',
    secretOutputs: ['password'],
    async run(context, input) {
      const graph = clientFor(deps, context);
      const userId = await graph.userId(input.user);
      const password = input.password ?? temporaryPassword();
      const { forceChangePasswordNextSignIn } = input;
      await graph.call('PATCH', `/users/${encodeURIComponent(userId)}`, {
        passwordProfile: { password, forceChangePasswordNextSignIn },
      });
      return { userId, forceChangePasswordNextSignIn, ...(input.returnPassword ? { password } : {}) };
    },
  };
}
