import { escapeHtml, oneLine, time, type RenderedEmail } from './notification-email.js';

/** One event folded into a digest. */
export interface DigestLine {
  number: number;
  title: string;
  severity: string;
  status: string;
  what: string;
  url: string;
  at: number;
}

/** The digest of a rate-limit window: every event folded into it, oldest first. */
export function digestEmail(input: {
  ruleName: string;
  workspaceName: string;
  digestAfter: number;
  windowStart: number;
  windowEnd: number;
  lines: DigestLine[];
  total: number;
  queueUrl: string;
}): RenderedEmail {
  const { lines, total } = input;
  const intro =
    `The notification rule "${input.ruleName}" sent you ${input.digestAfter} email${input.digestAfter === 1 ? '' : 's'} ` +
    `between ${time(input.windowStart)} and ${time(input.windowEnd)}, its limit for 10 minutes. ` +
    `These ${total} later event${total === 1 ? '' : 's'} were collected instead:`;
  const more = total > lines.length ? `… and ${total - lines.length} more: see the incident queue.` : null;
  const describe = (l: DigestLine) =>
    `#${l.number} [${l.severity}, ${l.status}] ${oneLine(l.title, 200)} — ${l.what} (${time(l.at)})`;
  const text = [
    intro,
    '',
    ...lines.flatMap((l) => [`- ${describe(l)}`, `  ${l.url}`]),
    ...(more ? ['', more] : []),
    '',
    `Incident queue: ${input.queueUrl}`,
    '--',
    `Workspace ${input.workspaceName}.`,
  ].join('\n');
  const html = [
    `<p style="font-family:sans-serif">${escapeHtml(intro)}</p>`,
    `<ul>${lines.map((l) => `<li><a href="${escapeHtml(l.url)}">#${l.number}</a> ${escapeHtml(describe(l).replace(/^#\d+ /, ''))}</li>`).join('')}</ul>`,
    ...(more ? [`<p style="font-family:sans-serif">${escapeHtml(more)}</p>`] : []),
    `<p style="font-family:sans-serif"><a href="${escapeHtml(input.queueUrl)}">Open the incident queue</a></p>`,
    `<p style="font-family:sans-serif;color:#666;font-size:smaller">Workspace ${escapeHtml(input.workspaceName)}.</p>`,
  ].join('\n');
  return {
    subject: `[Vigil] Digest: ${total} more notification${total === 1 ? '' : 's'} from rule "${oneLine(input.ruleName, 150)}"`,
    text,
    html,
  };
}
