import type { Actor } from '../../common/actor.js';
import { markdownToBlocks } from '../../common/markdown-text.js';

/** A time as the PDF prints it: "2026-11-02 10:04 UTC"; a dash when absent. */
export function formatTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const ACTOR_KINDS: Record<Actor['type'], string> = {
  user: '',
  automationRule: 'automation rule',
  playbook: 'playbook',
  system: 'system',
};

/** Who did something: "Alice", "Standard triage (automation rule)". */
export function actorLabel(actor: Actor | null | undefined): string {
  if (!actor) return '—';
  const kind = ACTOR_KINDS[actor.type] ?? actor.type;
  return kind ? `${actor.name} (${kind})` : actor.name;
}

/** Shortens text to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A value recorded in the activity log, in words: lists joined, tasks and alerts by title, owners by name. */
export function formatValue(value: unknown, depth = 0): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return truncate(value, 300);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    const shown = value.slice(0, 10).map((item) => formatValue(item, depth + 1));
    return `${shown.join(', ')}${value.length > 10 ? ` and ${value.length - 10} more` : ''}`;
  }
  if (typeof value === 'object' && depth < 3) {
    const record = value as Record<string, unknown>;
    const label = record.title ?? record.name ?? record.email ?? record.displayName;
    if (typeof label === 'string') return typeof record.status === 'string' ? `${label} (${record.status})` : label;
    return truncate(
      Object.entries(record)
        .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join(', ') || JSON.stringify(record),
      300,
    );
  }
  return truncate(JSON.stringify(value) ?? '', 300);
}

/** The first properties of an entity that say what it is (scalars, not repeating its name), "key: value; …". */
export function keyProperties(properties: Record<string, unknown>, name: string, max = 4): string {
  return Object.entries(properties)
    .filter(([key, value]) => !['kind', 'type', '$id'].includes(key) && (typeof value === 'string' || typeof value === 'number'))
    .filter(([, value]) => String(value).trim() !== '' && String(value) !== name)
    .slice(0, max)
    .map(([key, value]) => `${key}: ${truncate(String(value), 80)}`)
    .join('; ');
}

/** Markdown (or HTML) as one line of plain text, for table cells. */
export function plainText(markdown: string, max: number): string {
  const text = markdownToBlocks(markdown)
    .map((block) => `${block.marker ? `${block.marker} ` : ''}${block.runs.map((r) => r.text).join('')}`)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(text, max);
}

/** Words of a camelCase name: "classificationComment" → "Classification comment". */
export function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Gives the event loop a turn between chunks of a long document, so requests are not held up. */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
