import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startVirusTotalFake, type VirusTotalFake } from '../support/fakes/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The example playbooks the README and docs point to are valid against the real catalog. */
const dir = path.resolve('examples/playbooks');
let t: TestApp;
let vt: VirusTotalFake;

beforeAll(async () => {
  vt = await startVirusTotalFake();
  t = await startTestApp('sqlite', { worker: true, env: { VIGIL_EGRESS_ALLOWLIST: '127.0.0.1' } });
  const connections = [
    { name: 'virustotal', connector: 'virustotal', settings: { baseUrl: vt.url }, secrets: { apiKey: vt.apiKey } },
    {
      name: 'entra-id',
      connector: 'identity',
      settings: { tenantId: 'contoso.onmicrosoft.com', clientId: '00000000-0000-0000-0000-000000000001' },
      secrets: { clientSecret: 'example-secret' },
    },
  ];
  for (const connection of connections) {
    const response = await t.post(t.ws('/connections'), connection);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  }
});
afterAll(async () => {
  await t?.close();
  await vt?.close();
});

for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
  it(`examples/playbooks/${file} validates`, async () => {
    const response = await t.post(t.ws('/playbooks/validate'), { source: fs.readFileSync(path.join(dir, file), 'utf8') });
    expect(response.status).toBe(200);
    expect(response.body.problems).toEqual([]);
    expect(response.body.valid).toBe(true);
  });
}

it('the enrichment example comments the reputation of each IP and tags a malicious incident', async () => {
  vt.setReport('ip', '203.0.113.7', { malicious: 9, suspicious: 1 });
  const playbook = await t.post(t.ws('/playbooks'), { source: fs.readFileSync(path.join(dir, 'enrich-ips.yaml'), 'utf8') });
  expect(playbook.status).toBe(201);
  const ingest = await t.post(t.ws('/alerts'), {
    sourceAlertId: 'ex-1',
    title: 'Connections to a known C2',
    severity: 'Medium',
    productName: 'Firewall',
    entities: [
      { kind: 'Ip', address: '203.0.113.7' },
      { kind: 'Ip', address: '198.51.100.20' },
    ],
  });
  const incident = ingest.body.results[0].incidentNumber;
  const run = await t.post(t.ws(`/playbooks/${playbook.body.id}/runs`), { incident });
  expect(run.status).toBe(202);
  let finished: any;
  for (let i = 0; i < 100 && !finished; i++) {
    const current = await t.get(t.ws(`/runs/${run.body.id}`));
    if (['succeeded', 'failed', 'cancelled'].includes(current.body.status)) finished = current.body;
    else await new Promise((r) => setTimeout(r, 100));
  }
  expect(finished?.status, JSON.stringify(finished?.message)).toBe('succeeded');
  const comments = await t.get(t.ws(`/incidents/${incident}/comments`));
  const text = comments.body.items.map((c: { message: string }) => c.message).join('\n');
  expect(text).toContain('203.0.113.7: 9 malicious, 1 suspicious');
  expect(text).toContain('198.51.100.20: 0 malicious');
  const updated = await t.get(t.ws(`/incidents/${incident}`));
  expect(updated.body.tags).toContain('malicious-ip');
  expect(updated.body.severity).toBe('High');
});
