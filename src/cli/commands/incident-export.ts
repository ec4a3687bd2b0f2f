import fs from 'node:fs';
import type { IncidentExport } from '../../exports/index.js';
import type { Client } from '../client.js';
import { output } from '../format.js';

/** Options of `vigil incidents export`. */
export interface ExportOptions {
  output?: string;
  sections?: string[];
  /** Seconds to wait for the PDF (default 300). */
  timeout?: string;
}

const POLL_MS = 500;

/** Exports an incident as PDF: asks the server for it, waits until it is ready, and saves the file. */
export async function exportIncident(client: Client, ref: string, options: ExportOptions, json: boolean): Promise<void> {
  const base = `/api/v1/workspaces/${encodeURIComponent(client.workspace)}/incidents/${encodeURIComponent(ref)}/exports`;
  const body = options.sections?.length ? { sections: options.sections } : {};
  let made = (await client.request('POST', base, body)).body as IncidentExport;
  const deadline = Date.now() + Number(options.timeout ?? 300) * 1000;
  while (made.status === 'pending') {
    if (Date.now() > deadline) throw new Error(`Export ${made.id} is still being prepared; try again later`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    made = (await client.request('GET', `${base}/${made.id}`)).body as IncidentExport;
  }
  if (made.status === 'failed') throw new Error(`The export failed: ${made.error ?? 'unknown error'}`);
  const file = options.output ?? made.fileName;
  const content = await client.download(made.fileUrl!);
  if (file === '-') {
    process.stdout.write(content);
    return;
  }
  fs.writeFileSync(file, content);
  output(
    json,
    { ...made, savedTo: file },
    () => `Saved incident ${made.incidentNumber} to ${file} (${made.pageCount} pages, ${Math.ceil(content.length / 1024)} KiB).`,
  );
}
