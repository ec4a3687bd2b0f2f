import type { Role } from '../../api/types.js';
import { roleDescription, ROLES } from './role-descriptions.js';

/** Checkboxes for a member's roles; `compact` puts them on one line (table rows), else with their explanation. */
export function RoleCheckboxes({
  roles,
  onChange,
  name,
  compact = false,
  disabled = false,
}: {
  roles: Role[];
  onChange: (roles: Role[]) => void;
  name: string;
  compact?: boolean;
  disabled?: boolean;
}) {
  const toggle = (role: Role, on: boolean) => onChange(ROLES.filter((r) => (r === role ? on : roles.includes(r))));
  return (
    <div className={compact ? 'roles-cell' : 'role-list'} role="group" aria-label={`Roles of ${name}`}>
      {ROLES.map((role) => (
        <label key={role} title={roleDescription(role)}>
          <input
            type="checkbox"
            checked={roles.includes(role)}
            disabled={disabled}
            onChange={(e) => toggle(role, e.target.checked)}
          />
          {compact ? (
            role
          ) : (
            <span>
              {role}
              <span className="muted">{roleDescription(role)}</span>
            </span>
          )}
        </label>
      ))}
    </div>
  );
}
