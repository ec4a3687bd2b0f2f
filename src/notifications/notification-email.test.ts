import { describe, expect, it } from 'vitest';
import type { Incident } from '../incidents/index.js';
import { smtpOutcome } from './notification-channel.js';
import { digestEmail } from './notification-digest-email.js';
import { changeLines, incidentEmail } from './notification-email.js';

const incident = {
  id: 'i1',
  number: 42,
  title: 'Phish <script>alert(1)</script>\r\nBcc: evil@example.test',
  severity: 'High',
  status: 'Active',
  owner: { type: 'user', id: 'u1', name: 'Bob & Co', email: 'bob@example.test' },
  tags: [],
  alertProductNames: ['Defender'],
  alertCount: 3,
  url: 'http://vigil.test/w/default/incidents/42',
} as unknown as Incident;

describe('incidentEmail', () => {
  it('links to the incident, escapes every value in HTML and keeps the subject on one line', () => {
    const email = incidentEmail({
      ruleName: 'SOC "leads"',
      workspaceName: 'Default',
      incident,
      kinds: ['status', 'comments'],
      actor: { type: 'user', id: 'u2', name: 'Alice' },
      changes: [{ field: 'status', from: 'New', to: 'Active' }],
      comment: { author: 'Alice', message: 'Look at <b>this</b>' },
    });
    expect(email.subject).toBe(
      '[Vigil] Incident #42 status Active, new comment: Phish <script>alert(1)</script> Bcc: evil@example.test',
    );
    expect(email.text).toContain('Link: http://vigil.test/w/default/incidents/42');
    expect(email.text).toContain('- Status: New → Active');
    expect(email.text).toContain('Look at <b>this</b>');
    expect(email.html).toContain('<a href="http://vigil.test/w/default/incidents/42">');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.html).toContain('Look at &lt;b&gt;this&lt;/b&gt;');
    expect(email.html).toContain('Bob &amp; Co');
  });

  it('adds the alert and entity summary when asked', () => {
    const email = incidentEmail({
      ruleName: 'r',
      workspaceName: 'Default',
      incident,
      kinds: ['created'],
      actor: { type: 'system', id: 'system', name: 'Vigil' },
      changes: [],
      summary: {
        alerts: [{ title: 'Mail clicked', severity: 'High', productName: 'Defender', time: Date.parse('2026-01-01T10:00:00Z') }],
        entities: [{ kind: 'Account', name: 'alice@contoso.com' }],
        moreEntities: false,
      },
    });
    expect(email.subject).toMatch(/^\[Vigil\] New High incident #42: /);
    expect(email.text).toContain('Alerts (latest 1 of 3):\n- [High] Mail clicked — Defender, 2026-01-01 10:00 UTC');
    expect(email.text).toContain('- Account: alice@contoso.com');
  });

  it('describes changes in words: owners by name, alerts added by title', () => {
    expect(
      changeLines([
        { field: 'owner', from: null, to: { type: 'user', id: 'u', name: 'Bob' } },
        {
          field: 'alerts',
          from: null,
          to: [
            { id: 'a1', title: 'First' },
            { id: 'a2', title: 'Second' },
          ],
        },
        { field: 'lastActivityTime', from: 1, to: 2 },
      ]),
    ).toEqual(['Owner: (none) → Bob', '2 new alerts: First; Second']);
  });
});

describe('digestEmail', () => {
  it('lists every folded event with its link, and counts what it does not list', () => {
    const line = (n: number) => ({
      number: n,
      title: `Storm ${n}`,
      severity: 'High',
      status: 'New',
      what: 'new High incident',
      url: `http://x/${n}`,
      at: 0,
    });
    const email = digestEmail({
      ruleName: 'Storm',
      workspaceName: 'Default',
      digestAfter: 10,
      windowStart: 0,
      windowEnd: 600_000,
      lines: [line(1), line(2)],
      total: 3,
      queueUrl: 'http://x/queue',
    });
    expect(email.subject).toBe('[Vigil] Digest: 3 more notifications from rule "Storm"');
    expect(email.text).toContain('#1 [High, New] Storm 1 — new High incident');
    expect(email.text).toContain('http://x/2');
    expect(email.text).toContain('and 1 more');
    expect(email.html).toContain('<a href="http://x/1">#1</a>');
  });
});

describe('smtpOutcome', () => {
  it('retries 4xx answers, refused logins and network errors; fails permanent 5xx refusals', () => {
    expect(smtpOutcome({ responseCode: 451, response: '451 try later' })).toMatchObject({ status: 'retry', responseCode: 451 });
    expect(smtpOutcome({ code: 'EENVELOPE', responseCode: 550, response: '550 no such user' })).toMatchObject({
      status: 'failed',
      error: 'The SMTP server answered 550: 550 no such user',
    });
    expect(smtpOutcome({ code: 'EAUTH', responseCode: 535, response: '535 bad credentials' }).status).toBe('retry');
    expect(smtpOutcome(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ESOCKET' }))).toEqual({
      status: 'retry',
      error: 'Could not reach the SMTP server: connect ECONNREFUSED 127.0.0.1:1',
    });
  });
});
