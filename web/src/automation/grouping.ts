import type { AnalyticsRule } from '../api/analytics-rules.js';

/** An analytics rule's grouping settings. */
export type Grouping = AnalyticsRule['grouping'];

/** Grouping modes in Sentinel's words ("Incident settings → Alert grouping"). */
export const GROUPING_LABELS: Record<Grouping['mode'], string> = {
  none: 'No grouping: one incident per alert',
  allEntities: 'Group alerts whose entities all match',
  selected: 'Group alerts that match the selected entity kinds and custom details',
  anyAlert: 'Group all alerts of the rule into one incident',
};

/** A lookback window in words: 300 → "5 hours", 1440 → "1 day". */
export function lookbackText(minutes: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes % 1440 === 0) return unit(minutes / 1440, 'day');
  if (minutes % 60 === 0) return unit(minutes / 60, 'hour');
  return unit(minutes, 'minute');
}

/** A grouping in one line for the list: "By Account, Host within 5 hours; re-opens closed". */
export function groupingSummary(grouping: Grouping): string {
  if (grouping.mode === 'none') return 'None (one incident per alert)';
  const what =
    grouping.mode === 'allEntities'
      ? 'By all entities'
      : grouping.mode === 'anyAlert'
        ? 'All alerts together'
        : `By ${[...grouping.entityKinds, ...grouping.customDetailKeys.map((k) => `detail "${k}"`)].join(', ')}`;
  return `${what} within ${lookbackText(grouping.lookbackMinutes)}${grouping.reopenClosed ? '; re-opens closed incidents' : ''}`;
}
