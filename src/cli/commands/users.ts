import type { UserView } from '../../users/user-schemas.js';
import type { Client } from '../client.js';
import { output, shortTime, table } from '../format.js';

const enc = encodeURIComponent;

function credentialsNote(user: UserView, oneTimePassword: string | null): string {
  return oneTimePassword
    ? `One-time password for ${user.email} (shown only now; they must change it at first sign-in):\n\n  ${oneTimePassword}\n`
    : `${user.email} can sign in with the password you set.`;
}

/** `vigil users create`: a local user, with a generated one-time password unless one is given. */
export async function createUser(
  client: Client,
  options: { email: string; name: string; admin?: boolean; password?: string },
  json: boolean,
): Promise<void> {
  const body = {
    email: options.email,
    displayName: options.name,
    isAdmin: options.admin ?? false,
    ...(options.password ? { password: options.password } : {}),
  };
  const result = (await client.request('POST', '/api/v1/users', body)).body as { user: UserView; oneTimePassword: string | null };
  output(
    json,
    result,
    () =>
      `Created user ${result.user.email}${result.user.isAdmin ? ' (administrator)' : ''}.\n${credentialsNote(result.user, result.oneTimePassword)}`,
  );
}

/** `vigil users list`. */
export async function listUsers(client: Client, q: string | undefined, json: boolean): Promise<void> {
  const page = (await client.request('GET', `/api/v1/users?limit=500${q ? `&q=${enc(q)}` : ''}`)).body as { items: UserView[] };
  output(json, page, () =>
    table(page.items, [
      { heading: 'Email', value: (u) => u.email },
      { heading: 'Name', value: (u) => u.displayName },
      { heading: 'Admin', value: (u) => (u.isAdmin ? 'yes' : '') },
      { heading: 'Disabled', value: (u) => (u.disabled ? 'yes' : '') },
      { heading: 'Last sign-in', value: (u) => shortTime(u.lastLoginAt) },
    ]),
  );
}

/** `vigil users reset-password`: a new one-time password (or the one given); ends the user's sessions. */
export async function resetPassword(client: Client, user: string, password: string | undefined, json: boolean): Promise<void> {
  const result = (await client.request('POST', `/api/v1/users/${enc(user)}/reset-password`, password ? { password } : {}))
    .body as {
    user: UserView;
    oneTimePassword: string | null;
  };
  output(
    json,
    result,
    () =>
      `Password of ${result.user.email} reset; their sessions ended.\n${credentialsNote(result.user, result.oneTimePassword)}`,
  );
}

/** `vigil users disable|enable`. */
export async function setDisabled(client: Client, user: string, disabled: boolean, json: boolean): Promise<void> {
  const result = (await client.request('PATCH', `/api/v1/users/${enc(user)}`, { disabled })).body as UserView;
  output(
    json,
    result,
    () => `${result.email} is ${disabled ? 'disabled: their sessions ended and their tokens stop working' : 'enabled'}.`,
  );
}

/** `vigil groups create|add|remove|list`. */
export async function groupCommand(
  client: Client,
  action: 'create' | 'add' | 'remove' | 'list',
  args: string[],
  json: boolean,
): Promise<void> {
  if (action === 'list') {
    const page = (await client.request('GET', '/api/v1/groups')).body as {
      items: { name: string; members: { email: string }[] }[];
    };
    output(json, page, () =>
      table(page.items, [
        { heading: 'Group', value: (g) => g.name },
        { heading: 'Members', value: (g) => g.members.map((m) => m.email), max: 100 },
      ]),
    );
    return;
  }
  const [group, user] = args;
  const result =
    action === 'create'
      ? (await client.request('POST', '/api/v1/groups', { name: group })).body
      : (await client.request(action === 'add' ? 'PUT' : 'DELETE', `/api/v1/groups/${enc(group!)}/members/${enc(user!)}`)).body;
  const view = result as { name: string; members: { email: string }[] };
  output(json, result, () => `Group ${view.name}: ${view.members.map((m) => m.email).join(', ') || 'no members'}.`);
}
