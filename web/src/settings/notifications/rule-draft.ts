import type { NotificationRule, NotificationRuleInput, UpdateKind } from '../../api/notification-rules.js';
import type { Severity } from '../../api/types.js';

/** A person or group picked as a recipient, with what to show for it. */
export interface PickedRef {
  id: string;
  name: string;
  email?: string;
}

/** The rule form's state: like the API's rule, with picked users, groups and analytics rules kept with their names. */
export interface RuleDraft {
  name: string;
  description: string;
  enabled: boolean;
  created: boolean;
  updates: UpdateKind[];
  severities: Severity[];
  products: string[];
  analyticsRules: PickedRef[];
  tags: string[];
  hostGroups: string[];
  users: PickedRef[];
  groups: PickedRef[];
  addresses: string[];
  includeSummary: boolean;
  digestAfter: number;
}

/** The form's starting state: a new rule (mail about new incidents), or an existing rule's values. */
export function draftOf(rule?: NotificationRule): RuleDraft {
  if (!rule) {
    return {
      name: '',
      description: '',
      enabled: true,
      created: true,
      updates: [],
      severities: [],
      products: [],
      analyticsRules: [],
      tags: [],
      hostGroups: [],
      users: [],
      groups: [],
      addresses: [],
      includeSummary: false,
      digestAfter: 10,
    };
  }
  return {
    name: rule.name,
    description: rule.description,
    enabled: rule.enabled,
    created: rule.triggers.created,
    updates: rule.triggers.updates,
    severities: rule.filters.severities,
    products: rule.filters.products,
    analyticsRules: rule.filters.analyticsRules,
    tags: rule.filters.tags,
    hostGroups: rule.filters.hostGroups,
    users: rule.recipients.users,
    groups: rule.recipients.groups,
    addresses: rule.recipients.addresses,
    includeSummary: rule.includeSummary,
    digestAfter: rule.digestAfter,
  };
}

/** The body the API takes for a draft (users, groups and rules by id). */
export function inputOf(draft: RuleDraft): NotificationRuleInput {
  return {
    name: draft.name,
    description: draft.description,
    enabled: draft.enabled,
    triggers: { created: draft.created, updates: draft.updates },
    filters: {
      severities: draft.severities,
      products: draft.products,
      analyticsRules: draft.analyticsRules.map((r) => r.id),
      tags: draft.tags,
      hostGroups: draft.hostGroups,
    },
    recipients: {
      users: draft.users.map((u) => u.id),
      groups: draft.groups.map((g) => g.id),
      addresses: draft.addresses,
    },
    includeSummary: draft.includeSummary,
    digestAfter: draft.digestAfter,
  };
}

/** "New incidents, status or owner changes, new comments" — what a rule mails about, in a few words. */
export function triggerSummary(rule: NotificationRule): string {
  const updates = rule.triggers.updates;
  const changes = updates.filter((u) => u === 'status' || u === 'severity' || u === 'owner');
  const parts = [
    ...(rule.triggers.created ? ['new incidents'] : []),
    ...(changes.length ? [`${changes.join(' or ')} changes`] : []),
    ...(updates.includes('alerts') ? ['new alerts'] : []),
    ...(updates.includes('comments') ? ['new comments'] : []),
  ];
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "3 users, 1 group, 2 addresses". */
export function recipientSummary(rule: NotificationRule): string {
  const { users, groups, addresses } = rule.recipients;
  const count = (n: number, one: string) => (n ? [`${n} ${one}${n === 1 ? '' : 's'}`] : []);
  return [...count(users.length, 'user'), ...count(groups.length, 'group'), ...count(addresses.length, 'address')]
    .join(', ')
    .replace('addresss', 'addresses');
}

/** The filters of a rule in words ("Any incident" when none). */
export function filterSummary(rule: NotificationRule): string {
  const f = rule.filters;
  const parts = [
    f.severities.length ? `${f.severities.join(' or ')} severity` : '',
    f.products.length ? `from ${f.products.join(', ')}` : '',
    f.analyticsRules.length ? `rule ${f.analyticsRules.map((r) => r.name).join(', ')}` : '',
    f.tags.length ? `tagged ${f.tags.join(', ')}` : '',
    f.hostGroups.length ? `host group ${f.hostGroups.join(', ')}` : '',
  ].filter(Boolean);
  const text = parts.join('; ');
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : 'Any incident';
}
