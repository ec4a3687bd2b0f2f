import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import './playbooks.css';

/** A problem with the definition: where (path, line) and what. */
export interface SourceProblem {
  path: string;
  message: string;
  line?: number;
}

const LINE_HEIGHT = 20;

/**
 * A YAML text editor: line numbers, problem lines marked in the gutter, Tab inserts two spaces
 * (Escape, then Tab, leaves the editor), and the problem list below moves the cursor to a line.
 */
export function YamlEditor({
  value,
  onChange,
  problems = [],
  readOnly = false,
  label,
}: {
  value: string;
  onChange?: (value: string) => void;
  problems?: SourceProblem[];
  readOnly?: boolean;
  label: string;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const pendingCursor = useRef<number | null>(null);
  const [tabLeaves, setTabLeaves] = useState(false);
  const lineCount = value.split('\n').length;
  const badLines = new Set(problems.map((p) => p.line).filter((l): l is number => typeof l === 'number'));

  useLayoutEffect(() => {
    if (pendingCursor.current === null || !area.current) return;
    area.current.selectionStart = area.current.selectionEnd = pendingCursor.current;
    pendingCursor.current = null;
  });

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') return setTabLeaves(true);
    if (event.key !== 'Tab' || readOnly || tabLeaves || event.shiftKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const { selectionStart, selectionEnd } = event.currentTarget;
    pendingCursor.current = selectionStart + 2;
    onChange?.(value.slice(0, selectionStart) + '  ' + value.slice(selectionEnd));
  };

  const goToLine = (line: number) => {
    const el = area.current;
    if (!el) return;
    const lines = value.split('\n');
    const offset = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(offset, offset + (lines[line - 1]?.length ?? 0));
    el.scrollTop = Math.max(0, (line - 4) * LINE_HEIGHT);
  };

  return (
    <div className="yaml-editor">
      <div className={`editor-frame${readOnly ? ' read-only' : ''}`}>
        <div className="gutter" aria-hidden="true">
          <div ref={gutter}>
            {Array.from({ length: lineCount }, (_, i) => (
              <div
                key={i}
                className={badLines.has(i + 1) ? 'bad-line' : undefined}
                title={badLines.has(i + 1) ? 'Problem on this line' : undefined}
              >
                {badLines.has(i + 1) ? '● ' : ''}
                {i + 1}
              </div>
            ))}
          </div>
        </div>
        <textarea
          ref={area}
          aria-label={label}
          aria-describedby={readOnly ? undefined : 'yaml-editor-hint'}
          className="mono"
          value={value}
          readOnly={readOnly}
          spellCheck={false}
          wrap="off"
          onChange={(e) => onChange?.(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => setTabLeaves(false)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.style.transform = `translateY(${-e.currentTarget.scrollTop}px)`;
          }}
        />
      </div>
      {!readOnly && (
        <p id="yaml-editor-hint" className="muted editor-hint">
          Tab indents by two spaces; press Escape, then Tab, to leave the editor.
        </p>
      )}
      {problems.length > 0 && (
        <ul className="problems" aria-label="Problems">
          {problems.map((p, i) => (
            <li key={i}>
              <button type="button" className="link problem" disabled={!p.line} onClick={() => p.line && goToLine(p.line)}>
                <span className="badge bad">{p.line ? `Line ${p.line}` : 'Document'}</span>
                {p.path && <code>{p.path}</code>}
                <span>{p.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
