import type { ApiErrorDetail } from '../api/client.js';
import type { ActionType } from '../api/automation-rules.js';
import { ActionFields } from './ActionFields.js';
import { problemsAt, type DraftAction } from './draft.js';
import { ACTION_LABELS, ACTION_TYPES, LIMITS } from './labels.js';

const NEW_ACTIONS: Record<ActionType, () => DraftAction> = {
  changeStatus: () => ({ type: 'changeStatus', status: 'Active' }),
  changeSeverity: () => ({ type: 'changeSeverity', severity: 'High' }),
  assignOwner: () => ({ type: 'assignOwner', owner: {} }),
  unassignOwner: () => ({ type: 'unassignOwner' }),
  addTags: () => ({ type: 'addTags', tags: [] }),
  removeTags: () => ({ type: 'removeTags', tags: [] }),
  addTask: () => ({ type: 'addTask', title: '', description: '' }),
  runPlaybook: () => ({ type: 'runPlaybook', playbook: '' }),
};

/** The rule's actions, run in order: each a card with its fields, move up/down and remove. */
export function ActionList({
  workspace,
  actions,
  alertTrigger,
  problems,
  disabled,
  onChange,
}: {
  workspace: string;
  actions: DraftAction[];
  alertTrigger: boolean;
  problems: ApiErrorDetail[];
  disabled: boolean;
  onChange: (actions: DraftAction[]) => void;
}) {
  const allowed = alertTrigger ? (['runPlaybook'] as ActionType[]) : ACTION_TYPES;
  const replace = (index: number, action: DraftAction) => onChange(actions.map((a, i) => (i === index ? action : a)));
  const move = (index: number, by: number) => {
    const next = [...actions];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    onChange(next);
  };
  const full = actions.length >= LIMITS.actions;
  return (
    <div className="action-list">
      {alertTrigger && (
        <p className="notice info">
          Rules that run when an alert is created can only run playbooks (as in Sentinel): the alert may not belong to an incident
          yet, so there is no incident to change. Use an alert-trigger playbook.
        </p>
      )}
      {problemsAt(problems, 'actions')
        .filter((p) => p.path === 'actions')
        .map((p, i) => (
          <p key={i} className="field-error" role="alert">
            {p.message}
          </p>
        ))}
      <ol>
        {actions.map((action, index) => {
          const name = `Action ${index + 1}`;
          const mine = problemsAt(problems, `actions[${index}]`);
          const notAllowed = alertTrigger && action.type !== 'runPlaybook';
          return (
            <li key={index} className={`action-card${mine.length || notAllowed ? ' has-problem' : ''}`} aria-label={name}>
              <div className="row wrap">
                <span className="order-number" aria-hidden="true">
                  {index + 1}
                </span>
                <select
                  aria-label={`${name} type`}
                  value={action.type}
                  disabled={disabled}
                  onChange={(e) => replace(index, NEW_ACTIONS[e.target.value as ActionType]())}
                >
                  {ACTION_TYPES.map((type) => (
                    <option key={type} value={type} disabled={!allowed.includes(type)}>
                      {ACTION_LABELS[type].verb}
                    </option>
                  ))}
                </select>
                <span className="spacer" />
                <button
                  type="button"
                  className="small"
                  aria-label={`Move ${name} up`}
                  disabled={disabled || index === 0}
                  onClick={() => move(index, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="small"
                  aria-label={`Move ${name} down`}
                  disabled={disabled || index === actions.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="small"
                  aria-label={`Remove ${name}`}
                  disabled={disabled || actions.length === 1}
                  title={actions.length === 1 ? 'A rule needs at least one action' : undefined}
                  onClick={() => onChange(actions.filter((_, i) => i !== index))}
                >
                  ✕
                </button>
              </div>
              <ActionFields
                workspace={workspace}
                name={name}
                action={action}
                alertTrigger={alertTrigger}
                invalid={(field) => problemsAt(mine, `actions[${index}].${field}`).length > 0}
                onChange={(next) => replace(index, next)}
              />
              {notAllowed && (
                <p className="field-error">Not allowed when an alert is created: change it to "Run playbook" or remove it.</p>
              )}
              {mine.length > 0 && (
                <ul className="row-problems" role="alert">
                  {mine.map((p, i) => (
                    <li key={i}>
                      {p.path && p.path !== `actions[${index}]` ? `${fieldName(p.path)}: ` : ''}
                      {p.message}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
      <div className="row wrap add-row">
        <label className="row">
          <span>Add action</span>
          <select
            aria-label="Add action"
            value=""
            disabled={disabled || full}
            onChange={(e) => e.target.value && onChange([...actions, NEW_ACTIONS[e.target.value as ActionType]()])}
          >
            <option value="">Choose…</option>
            {allowed.map((type) => (
              <option key={type} value={type}>
                {ACTION_LABELS[type].verb}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small-text">
          {actions.length} of {LIMITS.actions} actions; they run in this order.
        </span>
      </div>
    </div>
  );
}

/** The last segment of an error path in words: "actions[0].classificationReason" → "classification reason". */
function fieldName(path: string): string {
  const last = path.split('.').pop() ?? path;
  return last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
