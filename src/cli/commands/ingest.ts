import fs from 'node:fs/promises';
import { ApiError, type Client } from '../client.js';
import { output } from '../format.js';

const BATCH = 1000;

async function readInput(file: string): Promise<string> {
  if (file !== '-') return fs.readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Creates the analytics rules of a bundle that do not exist yet (matched by externalId, else by
 * name), so that an example file can bring its grouping settings along.
 */
async function ensureRules(client: Client, rules: { externalId?: string; name: string }[]): Promise<number> {
  const base = `/api/v1/workspaces/${encodeURIComponent(client.workspace)}/analytics-rules`;
  let created = 0;
  for (const rule of rules) {
    if (!rule.externalId) {
      const existing = (await client.request('GET', `${base}?q=${encodeURIComponent(rule.name)}&limit=500`)).body as {
        items: { name: string }[];
      };
      if (existing.items.some((r) => r.name.toLowerCase() === rule.name.toLowerCase())) continue;
    }
    try {
      await client.request('POST', base, rule);
      created += 1;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) throw error;
    }
  }
  return created;
}

/**
 * Sends alerts from a JSON file in batches of 1,000. The file holds one alert, an array of alerts,
 * `{ "alerts": [...] }`, or a bundle `{ "analyticsRules": [...], "alerts": [...] }` whose rules are
 * created first when missing.
 */
export async function ingestCommand(client: Client, file: string, json: boolean): Promise<void> {
  const text = await readInput(file);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file === '-' ? 'stdin' : file} is not valid JSON: ${(error as Error).message}`);
  }
  const alerts: unknown[] = Array.isArray(document)
    ? document
    : document && typeof document === 'object' && Array.isArray((document as { alerts?: unknown }).alerts)
      ? (document as { alerts: unknown[] }).alerts
      : [document];
  const rules = (document as { analyticsRules?: unknown }).analyticsRules;
  const rulesCreated = Array.isArray(rules) ? await ensureRules(client, rules as { name: string }[]) : 0;
  const totals = { new: 0, grouped: 0, duplicate: 0 };
  const results: unknown[] = [];
  for (let i = 0; i < alerts.length; i += BATCH) {
    const batch = alerts.slice(i, i + BATCH);
    const response = await client.request('POST', `/api/v1/workspaces/${encodeURIComponent(client.workspace)}/alerts`, {
      alerts: batch,
    });
    const body = response.body as { results: { index: number }[]; counts: typeof totals };
    for (const result of body.results) results.push({ ...result, index: result.index + i });
    totals.new += body.counts.new;
    totals.grouped += body.counts.grouped;
    totals.duplicate += body.counts.duplicate;
  }
  output(json, { results, counts: totals }, () => {
    const incidents = new Set(
      (results as { outcome: string; incidentNumber: number | null }[])
        .filter((r) => r.outcome !== 'duplicate' && r.incidentNumber !== null)
        .map((r) => r.incidentNumber),
    );
    const ruleNote = rulesCreated ? `Created ${rulesCreated} analytics rule(s). ` : '';
    return `${ruleNote}Ingested ${alerts.length} alert(s): ${totals.new} new, ${totals.grouped} grouped into incidents, ${totals.duplicate} duplicate(s); ${incidents.size} incident(s) created or updated.`;
  });
}
