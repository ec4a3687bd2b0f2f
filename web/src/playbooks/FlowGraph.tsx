import { useMemo, useRef } from 'react';
import { parseFlow, type FlowNode, type FlowParse } from './flow-model.js';
import './playbooks.css';

const KIND_LABELS: Record<string, string> = {
  action: 'Action',
  if: 'Condition',
  switch: 'Switch',
  forEach: 'For each',
  parallel: 'Parallel',
  scope: 'Scope',
  wait: 'Wait',
  approval: 'Approval',
  set: 'Set variables',
  stop: 'Stop',
  unknown: 'Step',
};

/**
 * A read-only flow chart of the playbook's steps, drawn from the YAML as it is typed. Broken YAML
 * keeps the last good chart and says where the YAML is broken.
 */
export function FlowGraph({ source }: { source: string }) {
  const lastGood = useRef<Extract<FlowParse, { ok: true }> | null>(null);
  const parsed = useMemo(() => parseFlow(source), [source]);
  if (parsed.ok) lastGood.current = parsed;
  const shown = lastGood.current;
  return (
    <section className="flow" aria-label="Steps graph">
      <header className="row flow-header">
        <h2>Steps</h2>
        <span className="spacer" />
        {!parsed.ok && (
          <span className="badge bad" role="status">
            YAML error{parsed.line ? ` line ${parsed.line}` : ''}
          </span>
        )}
      </header>
      {!parsed.ok && <p className="flow-error">{parsed.message}</p>}
      {shown ? (
        <div className="flow-body">
          <div className="flow-node trigger-node">
            <span className="kind">Trigger</span>
            <strong>{shown.trigger || 'no trigger'}</strong>
          </div>
          <FlowList nodes={shown.nodes} />
        </div>
      ) : (
        <p className="muted">The graph appears when the YAML parses.</p>
      )}
    </section>
  );
}

function FlowList({ nodes }: { nodes: FlowNode[] }) {
  if (nodes.length === 0) return <div className="flow-empty muted">no steps</div>;
  return (
    <ol className="flow-list">
      {nodes.map((node) => (
        <li key={node.key}>
          <FlowBox node={node} />
        </li>
      ))}
    </ol>
  );
}

function FlowBox({ node }: { node: FlowNode }) {
  return (
    <div className={`flow-node kind-${node.kind}`} data-step={node.title}>
      <div className="flow-title">
        <span className="kind">{KIND_LABELS[node.kind] ?? node.kind}</span>
        <strong>{node.title}</strong>
      </div>
      {node.detail && <div className="flow-detail mono">{node.detail}</div>}
      {node.branches.length > 0 && (
        <div className={`flow-branches ${node.layout}`}>
          {node.branches.map((branch) => (
            <div key={branch.label} className="flow-branch">
              <div className="branch-label">{branch.label}</div>
              <FlowList nodes={branch.nodes} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
