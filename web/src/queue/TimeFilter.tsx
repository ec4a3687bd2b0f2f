import { formatTime } from '../ui/format.js';
import { FilterMenu } from './FilterMenu.js';

const PRESETS = [
  { label: 'Last 24 hours', ms: 24 * 3600_000 },
  { label: 'Last 7 days', ms: 7 * 24 * 3600_000 },
  { label: 'Last 30 days', ms: 30 * 24 * 3600_000 },
];

/** An ISO time as a datetime-local input's value (local time, to the minute). */
function toLocalInput(iso: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A datetime-local input's value as an ISO time ('' when empty). */
function fromLocalInput(value: string): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

function summary(from: string, to: string): string {
  if (from && to) return `${formatTime(from)} – ${formatTime(to)}`;
  if (from) return `since ${formatTime(from)}`;
  if (to) return `before ${formatTime(to)}`;
  return 'Any time';
}

/**
 * Created-time filter: presets (last 24 hours, 7 or 30 days) and a custom range. A preset is
 * written as an exact start time, so a copied link shows the same incidents later.
 */
export function TimeFilter({
  from,
  to,
  onChange,
}: {
  from: string;
  to: string;
  onChange: (range: { createdFrom: string; createdTo: string }) => void;
}) {
  return (
    <FilterMenu label="Created" summary={summary(from, to)} active={Boolean(from || to)} wide>
      <div className="row wrap">
        {PRESETS.map((preset) => (
          <button
            key={preset.label}
            type="button"
            className="small"
            onClick={() => onChange({ createdFrom: new Date(Date.now() - preset.ms).toISOString(), createdTo: '' })}
          >
            {preset.label}
          </button>
        ))}
        <button
          type="button"
          className="small"
          onClick={() => onChange({ createdFrom: '', createdTo: '' })}
          disabled={!from && !to}
        >
          Any time
        </button>
      </div>
      <div className="row wrap">
        <label className="field">
          From
          <input
            type="datetime-local"
            value={toLocalInput(from)}
            onChange={(e) => onChange({ createdFrom: fromLocalInput(e.target.value), createdTo: to })}
          />
        </label>
        <label className="field">
          To
          <input
            type="datetime-local"
            value={toLocalInput(to)}
            onChange={(e) => onChange({ createdFrom: from, createdTo: fromLocalInput(e.target.value) })}
          />
        </label>
      </div>
      <span className="muted hint">In your time zone; from is inclusive, to is exclusive.</span>
    </FilterMenu>
  );
}
