import type { ConnectorDefinition } from '../action.js';
import { redactingTest, withSecretRedaction, type ConnectorDeps } from '../connector-kit.js';
import { graphClient } from './graph-client.js';
import { confirmCompromisedAction, disableUserAction, resetPasswordAction, revokeSessionsAction } from './identity-actions.js';
import { identitySecrets, identitySettings } from './identity-schemas.js';

/** The identity provider connector, in Microsoft Graph's shape (Entra ID), with app-only OAuth2 client credentials. */
export function createIdentityConnector(deps: ConnectorDeps): ConnectorDefinition {
  return {
    id: 'identity',
    title: 'Identity provider (Microsoft Entra ID)',
    description:
      'Responds on user accounts through Microsoft Graph: confirm compromised, revoke sessions, disable, reset password. Needs an app registration with IdentityRiskyUser.ReadWrite.All and User.ReadWrite.All (application permissions).',
    connection: 'required',
    settings: identitySettings,
    secrets: identitySecrets,
    test: redactingTest((connection, signal) => graphClient(deps, connection, signal).checkToken()),
    actions: [
      withSecretRedaction(confirmCompromisedAction(deps)),
      withSecretRedaction(revokeSessionsAction(deps)),
      withSecretRedaction(disableUserAction(deps)),
      withSecretRedaction(resetPasswordAction(deps)),
    ],
  };
}
