import { useState } from 'react';
import type { StepView } from '../api/runs.js';
import { formatTime } from '../ui/format.js';
import { JsonView } from './JsonView.js';
import { formatDuration, RunStatusBadge } from './RunStatusBadge.js';

/** A run's steps nested as the definition nests them; each expands to its rendered input, output and error. */
export function StepTree({ steps, label = 'Steps' }: { steps: StepView[]; label?: string }) {
  if (steps.length === 0) return <p className="muted">No step has started yet.</p>;
  return (
    <ul className="step-tree" role="tree" aria-label={label}>
      {steps.map((step) => (
        <StepItem key={step.key} step={step} />
      ))}
    </ul>
  );
}

function StepItem({ step }: { step: StepView }) {
  const [open, setOpen] = useState(step.status === 'failed');
  const hasDetails = step.input !== null || step.output !== null || step.error !== null;
  return (
    <li role="treeitem" aria-expanded={open} aria-label={`${step.id}: ${step.status}`} className={`step status-${step.status}`}>
      <div className="step-row">
        <button
          type="button"
          className="step-toggle"
          aria-label={`${open ? 'Collapse' : 'Expand'} step ${step.key}`}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? '▾' : '▸'}
        </button>
        <RunStatusBadge status={step.status} />
        <strong className="step-id">{step.id}</strong>
        {step.iteration !== null && <span className="chip">item {step.iteration}</span>}
        <span className="muted">{step.kind}</span>
        <span className="spacer" />
        {step.attempts > 1 && <span className="badge warn">{step.attempts} attempts</span>}
        <span className="muted num" title={`Started ${formatTime(step.startedAt)}`}>
          {formatDuration(step.durationMs)}
        </span>
      </div>
      {step.error && !open && <div className="step-error">{step.error}</div>}
      {open && (
        <div className="step-details">
          <div className="muted">
            Key <code>{step.key}</code> · started {formatTime(step.startedAt)}
            {step.finishedAt && ` · finished ${formatTime(step.finishedAt)}`} · {step.attempts}{' '}
            {step.attempts === 1 ? 'attempt' : 'attempts'}
          </div>
          {step.error && (
            <div className="notice error" role="alert">
              {step.error}
            </div>
          )}
          {step.input !== null && <JsonView label="Input" value={step.input} />}
          {step.output !== null && <JsonView label="Output" value={step.output} />}
          {!hasDetails && <p className="muted">This step recorded no input or output.</p>}
        </div>
      )}
      {step.children.length > 0 && <StepTree steps={step.children} label={`Steps inside ${step.id}`} />}
    </li>
  );
}
