import { ROLE_PERMISSIONS, ROLES } from '../../../../src/auth/permissions.js';
import type { Permission, Role } from '../../api/types.js';

export { ROLES };

const PERMISSION_WORDS: Record<Permission, string> = {
  'workspace.read': 'see the workspace',
  'incidents.read': 'read incidents',
  'incidents.write': 'change incidents',
  'alerts.ingest': 'send alerts',
  'rules.read': 'read rules',
  'rules.write': 'change rules',
  'playbooks.read': 'read playbooks',
  'playbooks.toggle': 'enable/disable playbooks',
  'playbooks.write': 'change playbooks and connections',
  'playbooks.run': 'run playbooks',
  'workspace.manage': 'manage members and settings',
};

/** One line saying what a role may do, from its permissions (Owner: everything). */
export function roleDescription(role: Role): string {
  if (role === 'Owner') return 'Everything in the workspace, including its members and settings';
  const text = ROLE_PERMISSIONS[role].map((p) => PERMISSION_WORDS[p]).join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
