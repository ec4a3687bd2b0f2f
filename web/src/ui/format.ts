import type { Actor, Owner } from '../api/types.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A timestamp as people read it, in their locale and time zone ('—' when absent). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return dateTime.format(new Date(iso));
}

/** "3 min ago", "2 h ago", "5 d ago"; the exact time belongs in a title attribute. */
export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 60) return `${days} d ago`;
  return formatTime(iso);
}

const ACTOR_KIND: Record<Actor['type'], string> = {
  user: '',
  automationRule: 'Automation rule',
  playbook: 'Playbook',
  system: 'Vigil',
};

/** Who did something: a person's name, or "Automation rule: name", "Playbook: name". */
export function actorLabel(actor: Actor): string {
  const kind = ACTOR_KIND[actor.type];
  if (!kind) return actor.name;
  return actor.type === 'system' ? actor.name || kind : `${kind}: ${actor.name}`;
}

/** An owner's display: the name, with "(group)" for groups; "Unassigned" when none. */
export function ownerLabel(owner: Owner | null | undefined): string {
  if (!owner) return 'Unassigned';
  return owner.type === 'group' ? `${owner.name} (group)` : owner.name;
}

/** A camelCase or PascalCase value as words: "TruePositive" → "True positive". */
export function words(value: string): string {
  const spaced = value.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase();
}
