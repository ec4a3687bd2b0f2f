import './playbooks.css';

const TONES: Record<string, 'ok' | 'bad' | 'warn' | 'neutral' | 'live'> = {
  succeeded: 'ok',
  failed: 'bad',
  cancelled: 'neutral',
  skipped: 'neutral',
  waiting: 'warn',
  running: 'live',
  queued: 'neutral',
};

const ICONS: Record<string, string> = {
  succeeded: '✓',
  failed: '✕',
  cancelled: '⊘',
  skipped: '↷',
  waiting: '⏸',
  running: '●',
  queued: '○',
};

/** A run's or step's status with an icon and a colour (words, so it never relies on colour alone). */
export function RunStatusBadge({ status }: { status: string }) {
  const tone = TONES[status] ?? 'neutral';
  return (
    <span className={`badge run-status ${tone}`}>
      <span aria-hidden="true">{ICONS[status] ?? '•'}</span>
      {status.charAt(0).toUpperCase() + status.slice(1)}
    </span>
  );
}

/** A duration in ms as "850 ms", "12.4 s", "3 min 5 s", "2 h 4 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
