import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCreatePlaybook, useSavePlaybook, type PlaybookDetail } from '../api/playbooks.js';
import { wsUrl } from '../app/workspace.js';
import { ErrorNotice } from '../ui/feedback.js';
import { useUnsavedChangesGuard } from '../ui/unsaved-changes.js';
import { FlowGraph } from './FlowGraph.js';
import { useSourceProblems } from './useSourceProblems.js';
import { YamlEditor } from './YamlEditor.js';
import './playbooks.css';

/** What a new playbook starts from: a manual playbook that sets a variable and stops. */
export const STARTER_SOURCE = `name: My playbook
description: What this playbook does, in one sentence.
trigger:
  type: manual
  targets: [incident]
steps:
  - id: note
    uses: incident.addComment
    with:
      message: "Playbook \${{ run.playbook.name }} ran on this incident."
`;

/**
 * The YAML editor beside its steps graph, with problems as you type and Save: creates the playbook
 * (then opens it) or saves a new version of `playbook` with its etag.
 */
export function PlaybookEditor({
  workspace,
  playbook,
  mayWrite,
  onCreated,
}: {
  workspace: string;
  playbook: PlaybookDetail | null;
  mayWrite: boolean;
  onCreated?: (created: PlaybookDetail) => void;
}) {
  const [source, setSource] = useState(playbook?.source ?? STARTER_SOURCE);
  const check = useSourceProblems(workspace, source, mayWrite);
  const create = useCreatePlaybook(workspace);
  const save = useSavePlaybook(workspace);
  const navigate = useNavigate();
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const dirty = source !== (playbook?.source ?? STARTER_SOURCE) || !playbook;
  // What was last saved from here: the page's playbook catches up a moment after a save.
  const [lastSaved, setLastSaved] = useState(playbook?.source ?? STARTER_SOURCE);
  const guard = useUnsavedChangesGuard(mayWrite && source !== lastSaved && source !== playbook?.source, 'this playbook');
  const mutation = playbook ? save : create;
  const onSave = () => {
    setSavedVersion(null);
    const saving = source;
    if (playbook)
      save.mutate(
        { playbook, source },
        {
          onSuccess: (saved) => {
            setSavedVersion(saved.version);
            setLastSaved(saving);
          },
        },
      );
    else
      create.mutate(source, {
        onSuccess: (created) => {
          guard.release();
          onCreated?.(created);
          navigate(wsUrl(workspace, `/playbooks/${created.id}`), { state: { webhookUrl: created.webhook?.url ?? null } });
        },
      });
  };
  return (
    <div className="editor-layout">
      {guard.dialog}
      <div className="editor-column stack">
        <div className="row editor-toolbar">
          <CheckStatus checking={check.checking} valid={check.valid} count={check.problems.length} />
          <span className="spacer" />
          {mayWrite ? (
            <button
              type="button"
              className="primary"
              disabled={mutation.isPending || (!dirty && playbook !== null)}
              title={!dirty && playbook ? 'No change to save' : undefined}
              onClick={onSave}
            >
              {mutation.isPending ? 'Saving…' : playbook ? 'Save new version' : 'Create playbook'}
            </button>
          ) : (
            <span className="muted">Read only: playbook contributors can change playbooks.</span>
          )}
        </div>
        <ErrorNotice error={check.error} what="playbook" />
        <ErrorNotice error={mutation.error} what="playbook" />
        {savedVersion !== null && !dirty && (
          <div className="notice success" role="status">
            Saved as version {savedVersion}. Runs already started keep the version they started with.
          </div>
        )}
        <YamlEditor
          label="Playbook YAML"
          value={source}
          onChange={mayWrite ? setSource : undefined}
          readOnly={!mayWrite}
          problems={check.problems}
        />
      </div>
      <FlowGraph source={source} />
    </div>
  );
}

function CheckStatus({ checking, valid, count }: { checking: boolean; valid: boolean | null; count: number }) {
  if (checking)
    return (
      <span className="muted" role="status">
        Checking…
      </span>
    );
  if (valid === null) return <span />;
  return valid ? (
    <span className="badge ok" role="status">
      ✓ Valid
    </span>
  ) : (
    <span className="badge bad" role="status">
      {count} {count === 1 ? 'problem' : 'problems'}
    </span>
  );
}
