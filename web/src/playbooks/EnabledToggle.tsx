import { useTogglePlaybook, type Playbook } from '../api/playbooks.js';
import { can, useMe } from '../api/session.js';
import { ErrorNotice } from '../ui/feedback.js';

/** The enable/disable switch of one playbook; its failure shows beside it. */
export function EnabledToggle({ workspace, playbook }: { workspace: string; playbook: Playbook }) {
  const me = useMe();
  const toggle = useTogglePlaybook(workspace);
  const allowed = can(me.data, workspace, 'playbooks.toggle');
  return (
    <div>
      <label className="switch" title={allowed ? undefined : 'Your role cannot enable or disable playbooks'}>
        <input
          type="checkbox"
          role="switch"
          aria-label={`Enabled: ${playbook.name}`}
          checked={playbook.enabled}
          disabled={!allowed || toggle.isPending}
          onChange={(e) => toggle.mutate({ playbook, enabled: e.target.checked })}
        />
        <span className={`badge ${playbook.enabled ? 'ok' : 'neutral'}`}>{playbook.enabled ? 'Enabled' : 'Disabled'}</span>
      </label>
      {toggle.error && <ErrorNotice error={toggle.error} what="playbook" />}
    </div>
  );
}
