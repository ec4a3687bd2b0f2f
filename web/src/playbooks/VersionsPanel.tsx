import { useState } from 'react';
import { usePlaybookVersion, usePlaybookVersions, type PlaybookDetail } from '../api/playbooks.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { actorLabel, formatTime, timeAgo } from '../ui/format.js';
import { FlowGraph } from './FlowGraph.js';
import { YamlEditor } from './YamlEditor.js';

/** A playbook's versions, newest first; choosing one shows its source (read-only) and graph. */
export function VersionsPanel({ workspace, playbook }: { workspace: string; playbook: PlaybookDetail }) {
  const versions = usePlaybookVersions(workspace, playbook.id);
  const [chosen, setChosen] = useState<number | null>(null);
  const version = usePlaybookVersion(workspace, playbook.id, chosen);
  if (versions.isPending) return <Loading label="Loading versions…" />;
  if (versions.error) return <ErrorNotice error={versions.error} onRetry={() => void versions.refetch()} />;
  if (versions.data.items.length === 0) return <EmptyState title="No versions" />;
  return (
    <div className="versions-layout">
      <table className="grid">
        <thead>
          <tr>
            <th>Version</th>
            <th>Saved</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {versions.data.items.map((v) => (
            <tr key={v.version} className={v.version === chosen ? 'selected' : undefined}>
              <td>
                <button type="button" className="link" aria-pressed={v.version === chosen} onClick={() => setChosen(v.version)}>
                  Version {v.version}
                </button>{' '}
                {v.version === playbook.version && <span className="badge ok">current</span>}
              </td>
              <td title={formatTime(v.createdAt)}>{timeAgo(v.createdAt)}</td>
              <td>{actorLabel(v.createdBy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div>
        {chosen === null ? (
          <EmptyState title="Choose a version">Its source and steps appear here, read-only.</EmptyState>
        ) : version.isPending ? (
          <Loading label={`Loading version ${chosen}…`} />
        ) : version.error ? (
          <ErrorNotice error={version.error} onRetry={() => void version.refetch()} />
        ) : (
          <div className="editor-layout">
            <div className="editor-column">
              <h3>Version {chosen} (read-only)</h3>
              <YamlEditor label={`Version ${chosen} source`} value={version.data.source ?? ''} readOnly />
            </div>
            <FlowGraph source={version.data.source ?? ''} />
          </div>
        )}
      </div>
    </div>
  );
}
