import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderActionReference } from '../../src/playbooks/action-reference.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** docs/actions.md is generated from the catalog; `npm run docs:actions` (UPDATE_DOCS=1) rewrites it. */
const file = path.resolve('docs/actions.md');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp('sqlite');
});
afterAll(async () => {
  await t?.close();
});

it('docs/actions.md matches the action catalog the API serves', async () => {
  const response = await t.get('/api/v1/actions');
  expect(response.status).toBe(200);
  const generated = renderActionReference(response.body.connectors);
  if (process.env.UPDATE_DOCS) fs.writeFileSync(file, generated);
  const written = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  expect(written, 'docs/actions.md is out of date: run npm run docs:actions').toBe(generated);
  for (const id of ['incident.addTask', 'http.request', 'virustotal.ipReport', 'identity.disableUser', 'email.send'])
    expect(generated).toContain(`\`${id}\``);
});
