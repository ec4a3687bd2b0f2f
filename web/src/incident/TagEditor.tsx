import { useState } from 'react';
import { LIMITS } from '../../../src/common/limits.js';
import { useTagSuggestions } from '../api/incidents.js';
import { TypeAhead } from '../ui/TypeAhead.js';

/** The incident's tags: chips to remove, a type-ahead over tags in use (or a new one) to add. */
export function TagEditor({
  workspace,
  tags,
  systemTags,
  canEdit,
  onAdd,
  onRemove,
}: {
  workspace: string;
  tags: string[];
  systemTags: string[];
  canEdit: boolean;
  onAdd: (tag: string) => void;
  onRemove: (tag: string) => void;
}) {
  const [query, setQuery] = useState('');
  const trimmed = query.trim();
  const suggestions = useTagSuggestions(workspace, trimmed);
  const has = (tag: string) => tags.some((t) => t.toLowerCase() === tag.toLowerCase());
  const inUse = (suggestions.data?.items ?? []).filter((s) => !s.system && !has(s.tag));
  const exact = inUse.some((s) => s.tag.toLowerCase() === trimmed.toLowerCase());
  const options = [
    ...inUse.map((s) => ({ key: s.tag, label: s.tag, hint: `${s.count} incident${s.count === 1 ? '' : 's'}`, value: s.tag })),
    ...(trimmed && !exact && !has(trimmed) && trimmed.length <= LIMITS.tagLength
      ? [{ key: `new:${trimmed}`, label: trimmed, hint: '(Create new)', value: trimmed }]
      : []),
  ];
  return (
    <div className="tag-editor row wrap">
      {systemTags.map((tag) => (
        <span key={`s:${tag}`} className="chip system" title="Set by the detection source">
          {tag}
        </span>
      ))}
      {tags.map((tag) => (
        <span key={tag} className="chip">
          {tag}
          {canEdit && (
            <button type="button" aria-label={`Remove tag ${tag}`} onClick={() => onRemove(tag)}>
              ✕
            </button>
          )}
        </span>
      ))}
      {tags.length === 0 && systemTags.length === 0 && <span className="muted">No tags</span>}
      {canEdit && tags.length < LIMITS.tagsPerIncident && (
        <div className="tag-input">
          <TypeAhead
            label="Add tag"
            query={query}
            onQueryChange={setQuery}
            suggestions={options}
            onPick={(tag) => {
              onAdd(tag);
              setQuery('');
            }}
            placeholder="+ Add tag"
            loading={suggestions.isFetching}
          />
        </div>
      )}
    </div>
  );
}
