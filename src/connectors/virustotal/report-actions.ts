import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { requireConnection, type ConnectorAction, type ConnectorDeps } from '../connector-kit.js';
import { virusTotalConnection, virusTotalGet, type VirusTotalAnswer } from './virustotal-client.js';
import {
  domainReportInput,
  fileReportInput,
  ipReportInput,
  reportOutput,
  urlReportInput,
  type ReportOutput,
} from './virustotal-schemas.js';

/** The four report actions of the VirusTotal connector, built from one table. */

interface ReportKind<I> {
  id: string;
  title: string;
  description: string;
  input: z.ZodType<I>;
  /** The object's key as VirusTotal files it, from the input. */
  key(input: I): string;
  collection: string;
  /** The path segment of the report in the web interface. */
  gui: string;
  type: string;
}

/** The unpadded base64url of a URL: VirusTotal's URL identifier. */
export function virusTotalUrlId(url: string): string {
  return Buffer.from(url, 'utf8').toString('base64url');
}

const KINDS = [
  {
    id: 'virustotal.ipReport',
    title: 'VirusTotal IP address report',
    description:
      'Looks up an IP address: how many engines flag it malicious or suspicious, its reputation, and a link to the report.',
    input: ipReportInput,
    key: (i: z.output<typeof ipReportInput>) => i.ip.toLowerCase(),
    collection: 'ip_addresses',
    gui: 'ip-address',
    type: 'ip_address',
  } satisfies ReportKind<z.output<typeof ipReportInput>>,
  {
    id: 'virustotal.domainReport',
    title: 'VirusTotal domain report',
    description:
      'Looks up a domain: verdict counts, reputation and a link to the report; found is false when VirusTotal does not know it.',
    input: domainReportInput,
    key: (i: z.output<typeof domainReportInput>) => i.domain.toLowerCase().replace(/\.$/, ''),
    collection: 'domains',
    gui: 'domain',
    type: 'domain',
  } satisfies ReportKind<z.output<typeof domainReportInput>>,
  {
    id: 'virustotal.urlReport',
    title: 'VirusTotal URL report',
    description:
      'Looks up a URL (by its base64url id): verdict counts, reputation and a link; found is false when it was never analysed.',
    input: urlReportInput,
    key: (i: z.output<typeof urlReportInput>) => i.url,
    collection: 'urls',
    gui: 'url',
    type: 'url',
  } satisfies ReportKind<z.output<typeof urlReportInput>>,
  {
    id: 'virustotal.fileReport',
    title: 'VirusTotal file report',
    description:
      'Looks up a file by MD5, SHA-1 or SHA-256: verdict counts, reputation and a link; found is false for an unknown file.',
    input: fileReportInput,
    key: (i: z.output<typeof fileReportInput>) => i.hash.toLowerCase(),
    collection: 'files',
    gui: 'file',
    type: 'file',
  } satisfies ReportKind<z.output<typeof fileReportInput>>,
];

const count = (stats: Record<string, unknown>, name: string) => (typeof stats[name] === 'number' ? (stats[name] as number) : 0);

function summarize(kind: { type: string; gui: string }, key: string, answer: VirusTotalAnswer, baseUrl: string): ReportOutput {
  const guiId = kind.type === 'url' ? createHash('sha256').update(key).digest('hex') : key;
  const data = answer?.data ?? null;
  const id = typeof data?.id === 'string' ? data.id : key;
  const attributes = (data?.attributes ?? {}) as Record<string, unknown>;
  const stats = (attributes.last_analysis_stats ?? {}) as Record<string, unknown>;
  const date = attributes.last_analysis_date;
  return {
    found: data !== null,
    id,
    type: typeof data?.type === 'string' ? data.type : kind.type,
    malicious: count(stats, 'malicious'),
    suspicious: count(stats, 'suspicious'),
    harmless: count(stats, 'harmless'),
    undetected: count(stats, 'undetected'),
    reputation: typeof attributes.reputation === 'number' ? attributes.reputation : null,
    lastAnalysisDate: typeof date === 'number' ? new Date(date * 1000).toISOString() : null,
    link: `${baseUrl.replace(/\/+$/, '')}/gui/${kind.gui}/${data ? id : guiId}`,
    data,
  };
}

function reportAction<I>(deps: ConnectorDeps, kind: ReportKind<I>): ConnectorAction<I, ReportOutput> {
  return {
    id: kind.id,
    title: kind.title,
    description: kind.description,
    input: kind.input,
    output: reportOutput,
    effect: 'read',
    async run(context, input) {
      const connection = requireConnection(context, 'virustotal');
      const key = kind.key(input);
      // Inputs are validated (IP, domain, hex hash), so only URLs need encoding.
      const id = kind.type === 'url' ? virusTotalUrlId(key) : key;
      const answer = await virusTotalGet(deps, connection, `${kind.collection}/${id}`, context.signal);
      return summarize(kind, key, answer, virusTotalConnection(connection).settings.baseUrl);
    },
  };
}

/** The report actions: ipReport, domainReport, urlReport, fileReport. */
export function virusTotalReportActions(deps: ConnectorDeps): ConnectorAction[] {
  return KINDS.map((kind) => reportAction(deps, kind as ReportKind<unknown>));
}
