import { afterAll, beforeAll, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

describeEachDialect('smoke', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  it('ingests an alert into a new incident and lists it', async () => {
    const ingest = await t.post(t.ws('/alerts'), alert({ title: 'Mimikatz detected' }));
    expect(ingest.status).toBe(201);
    expect(ingest.body.results[0].outcome).toBe('new');
    const list = await t.get(t.ws('/incidents'));
    expect(list.status).toBe(200);
    expect(list.body.items[0].title).toBe('Mimikatz detected');
  });
});
