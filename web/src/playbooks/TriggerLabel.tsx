import type { Playbook } from '../api/playbooks.js';

const LABELS: Record<string, string> = {
  incident: 'Incident',
  alert: 'Alert',
  manual: 'Manual',
  webhook: 'Webhook',
  schedule: 'Schedule',
};

/** A playbook's trigger kind, with the cron expression for scheduled ones. */
export function TriggerLabel({ trigger, schedule }: { trigger: string; schedule?: Playbook['schedule'] }) {
  return (
    <span className="trigger">
      <span className="chip">{LABELS[trigger] ?? trigger}</span>
      {schedule && (
        <span className="muted mono" title={`Time zone ${schedule.timezone}`}>
          {' '}
          {schedule.cron}
        </span>
      )}
    </span>
  );
}
