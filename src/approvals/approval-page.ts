import type { ApprovalRecord } from './approval-repository.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The headers every approval page is sent with: no scripts, no framing, not cached. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Vigil</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1b1f24;line-height:1.5}
h1{font-size:1.4rem}blockquote{white-space:pre-wrap;border-left:4px solid #8a94a6;margin:1rem 0;padding:.5rem 1rem;background:#f4f6f8}
button{font-size:1rem;padding:.6rem 1.2rem;margin:.25rem .5rem .25rem 0;border:1px solid #1b1f24;border-radius:4px;background:#fff;cursor:pointer}
button.primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff}.muted{color:#5b6472;font-size:.9rem}
</style></head><body>${body}</body></html>`;
}

/** The confirmation page a link opens: the request and one button per choice (the one in the link first). */
export function confirmPage(approval: ApprovalRecord, preselected: string | undefined, problem: string | null): string {
  const header = `<h1>${escapeHtml(approval.playbookName)} needs a decision</h1><blockquote>${escapeHtml(approval.message)}</blockquote>`;
  if (problem) return page('Approval', `${header}<p><strong>${escapeHtml(problem)}.</strong></p>`);
  const ordered =
    preselected && approval.choices.includes(preselected)
      ? [preselected, ...approval.choices.filter((c) => c !== preselected)]
      : approval.choices;
  const buttons = ordered
    .map(
      (choice) =>
        `<button type="submit" name="choice" value="${escapeHtml(choice)}"${choice === preselected ? ' class="primary"' : ''}>${choice === preselected ? 'Confirm: ' : ''}${escapeHtml(choice)}</button>`,
    )
    .join('');
  const expiry = new Date(approval.expiresAt).toISOString().replace('T', ' ').slice(0, 16);
  return page(
    'Approval',
    `${header}<form method="post">${buttons}</form><p class="muted">Nothing happens until you press a button. If nobody answers by ${expiry} UTC, "${escapeHtml(approval.defaultChoice)}" applies.</p>`,
  );
}

/** The page after answering (or failing to). */
export function resultPage(approval: ApprovalRecord | undefined, message: string, ok: boolean): string {
  const title = ok ? 'Answer recorded' : 'Not recorded';
  const about = approval
    ? `<p class="muted">${escapeHtml(approval.playbookName)}: ${escapeHtml(approval.message.slice(0, 300))}</p>`
    : '';
  return page(title, `<h1>${title}</h1><p>${escapeHtml(message)}</p>${about}`);
}
