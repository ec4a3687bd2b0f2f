import { z } from 'zod';
import { allowlistSetting, baseUrlSetting } from '../connector-kit.js';

/** Settings, secrets, inputs and outputs of the identity connector (Microsoft Graph / Entra ID). */

/** The app registration and where Graph and the login endpoint live (tests point both at a fake). */
export const identitySettings = z.object({
  tenantId: z.string().min(1).max(200).describe('Directory (tenant) id or domain.'),
  clientId: z.string().min(1).max(200).describe('Application (client) id of the app registration.'),
  baseUrl: baseUrlSetting('https://graph.microsoft.com', 'Microsoft Graph base URL (calls go to {baseUrl}/v1.0/…).'),
  loginUrl: baseUrlSetting('https://login.microsoftonline.com', 'Token endpoint host: {loginUrl}/{tenantId}/oauth2/v2.0/token.'),
  scope: z.string().min(1).default('https://graph.microsoft.com/.default'),
  allowlist: allowlistSetting,
});

/** Parsed settings. */
export type IdentitySettings = z.output<typeof identitySettings>;

/** The app registration's client secret. */
export const identitySecrets = z.object({ clientSecret: z.string().min(1).describe('Client secret of the app registration.') });

const user = z.string().min(1).max(320).describe('User object id, or user principal name (resolved to the id).');

/** Input of `identity.confirmUserCompromised`. */
export const confirmCompromisedInput = z.object({ users: z.array(user).min(1).max(60) });
/** Output of `identity.confirmUserCompromised`. */
export const confirmCompromisedOutput = z.object({ userIds: z.array(z.string()) });

/** Input of `identity.revokeSignInSessions` and `identity.disableUser`. */
export const userInput = z.object({ user });
/** Output of `identity.revokeSignInSessions`. */
export const revokeOutput = z.object({ userId: z.string(), revoked: z.boolean() });
/** Output of `identity.disableUser`. */
export const disableOutput = z.object({ userId: z.string(), accountEnabled: z.literal(false) });

/** Input of `identity.resetPassword`. */
export const resetPasswordInput = z.object({
  user,
  password: z.string().min(8).max(256).optional().describe('The new password; a strong random one is generated when absent.'),
  forceChangePasswordNextSignIn: z.boolean().default(true),
  returnPassword: z
    .boolean()
    .default(false)
    .describe('Return the password in the output (redacted from run logs), e.g. to send it to the user’s manager.'),
});
/** Output of `identity.resetPassword`. */
export const resetPasswordOutput = z.object({
  userId: z.string(),
  forceChangePasswordNextSignIn: z.boolean(),
  password: z.string().optional().describe('Only with returnPassword: true.'),
});
