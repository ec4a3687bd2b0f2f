import type { TitleSource } from './incident-model.js';

/** What the generated title is made from. */
export interface TitleBasis {
  currentTitle: string;
  titleSource: TitleSource;
  /** Alerts on the incident after the new ones are added. */
  alertCount: number;
  newAlertTitles: string[];
  hostNames: string[];
  accountNames: string[];
  productCount: number;
}

/**
 * The incident's title after alerts are added, as Defender names incidents: the alert's title
 * while all alerts share it, then "Multi-stage incident involving N alerts on host X" (or on
 * multiple endpoints, or for a user) — until a person renames it, after which it never changes.
 */
export function titleAfterAlerts(basis: TitleBasis): { title: string; titleSource: TitleSource } {
  const { currentTitle, titleSource, alertCount, newAlertTitles } = basis;
  if (titleSource === 'manual') return { title: currentTitle, titleSource };
  const firstTitle = titleSource === 'alert' && alertCount > newAlertTitles.length ? currentTitle : newAlertTitles[0]!;
  if (titleSource !== 'generated' && newAlertTitles.every((title) => title === firstTitle)) {
    return { title: firstTitle, titleSource: 'alert' };
  }
  return { title: generatedTitle(basis), titleSource: 'generated' };
}

function generatedTitle({ alertCount, hostNames, accountNames, productCount }: TitleBasis): string {
  let title = `Multi-stage incident involving ${alertCount} alerts`;
  if (hostNames.length === 1) title += ` on host ${hostNames[0]}`;
  else if (hostNames.length > 1) title += ' on multiple endpoints';
  else if (accountNames.length === 1) title += ` for user ${accountNames[0]}`;
  else if (accountNames.length > 1) title += ' for multiple users';
  if (productCount > 1) title += ' reported by multiple sources';
  return title;
}
