import { useEffect, useState } from 'react';
import { validatePlaybook } from '../api/playbooks.js';
import type { SourceProblem } from './YamlEditor.js';

/** What the server says about the text being typed: its problems, whether it is checking, a failed check. */
export interface SourceCheck {
  problems: SourceProblem[];
  valid: boolean | null;
  checking: boolean;
  error: unknown;
}

/** Validates the source 400 ms after the last keystroke (POST /playbooks/validate), cancelling older checks. */
export function useSourceProblems(workspace: string, source: string, enabled = true): SourceCheck {
  const [check, setCheck] = useState<SourceCheck>({ problems: [], valid: null, checking: false, error: null });
  useEffect(() => {
    if (!enabled || !source.trim()) {
      setCheck({ problems: [], valid: null, checking: false, error: null });
      return;
    }
    const controller = new AbortController();
    setCheck((c) => ({ ...c, checking: true }));
    const timer = setTimeout(() => {
      validatePlaybook(workspace, source, controller.signal).then(
        (result) => setCheck({ problems: result.problems, valid: result.valid, checking: false, error: null }),
        (error: unknown) => {
          if ((error as Error).name !== 'AbortError') setCheck({ problems: [], valid: null, checking: false, error });
        },
      );
    }, 400);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [workspace, source, enabled]);
  return check;
}
