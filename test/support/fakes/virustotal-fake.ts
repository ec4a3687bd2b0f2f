import { createHash } from 'node:crypto';
import net from 'node:net';
import { json, startFakeServer, type FakeReply, type FakeServer, type RecordedRequest } from './fake-server.js';

/**
 * A fake VirusTotal API v3: `GET /api/v3/ip_addresses/{ip}`, `/domains/{domain}`,
 * `/urls/{unpadded base64url of the URL}`, `/files/{md5|sha1|sha256}`, authenticated by the
 * `x-apikey` header. Answers like VirusTotal: `data.attributes.last_analysis_stats`, `reputation`,
 * …; 401 `WrongCredentialsError`, 404 `NotFoundError`, 429 `QuotaExceededError`. Any valid IP has a
 * (clean) report, as on VirusTotal; domains, URLs and files only when a test sets one.
 */

/** The kinds of object VirusTotal reports on. */
export type VirusTotalKind = 'ip' | 'domain' | 'url' | 'file';

/** A report to serve: analysis counts, reputation, extra attributes. */
export interface VirusTotalFixture {
  malicious?: number;
  suspicious?: number;
  harmless?: number;
  undetected?: number;
  reputation?: number;
  attributes?: Record<string, unknown>;
}

/** The running fake and its knobs. */
export interface VirusTotalFake extends FakeServer {
  apiKey: string;
  /** Serves a report for an IP, a domain, a URL (as written, not its id) or a file hash. */
  setReport(kind: VirusTotalKind, key: string, fixture: VirusTotalFixture): void;
  /** Answers every request with this status (e.g. 429, 500) until called with undefined. */
  failWith(status: number | undefined): void;
}

const TYPES = { ip: 'ip_address', domain: 'domain', url: 'url', file: 'file' } as const;
const COLLECTIONS: Record<string, VirusTotalKind> = { ip_addresses: 'ip', domains: 'domain', urls: 'url', files: 'file' };
const ERROR_CODES: Record<number, [string, string]> = {
  400: ['InvalidArgumentError', 'Invalid argument'],
  401: ['WrongCredentialsError', 'Wrong API key'],
  403: ['ForbiddenError', 'You are not allowed to perform the requested operation'],
  404: ['NotFoundError', 'Resource not found.'],
  429: ['QuotaExceededError', 'Quota exceeded'],
  500: ['InternalError', 'An internal error occurred'],
  503: ['TransientError', 'Temporary failure, please retry'],
};

/** The URL id VirusTotal uses: unpadded base64url of the URL. */
export function virusTotalUrlId(url: string): string {
  return Buffer.from(url).toString('base64url');
}

function vtError(status: number, message?: string): FakeReply {
  const [code, text] = ERROR_CODES[status] ?? ['UnknownError', `status ${status}`];
  return json(status, { error: { code, message: message ?? text } });
}

function engines(fixture: VirusTotalFixture): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  const verdicts = [
    ...Array<string>(fixture.malicious ?? 0).fill('malicious'),
    ...Array<string>(fixture.suspicious ?? 0).fill('suspicious'),
  ];
  verdicts.forEach((category, i) => {
    const name = `Engine${i + 1}`;
    results[name] = {
      category,
      engine_name: name,
      method: 'blacklist',
      result: category === 'malicious' ? 'malware' : 'suspicious',
    };
  });
  results.Kaspersky = { category: 'harmless', engine_name: 'Kaspersky', method: 'blacklist', result: 'clean' };
  return results;
}

function attributesFor(kind: VirusTotalKind, key: string, fixture: VirusTotalFixture): Record<string, unknown> {
  const base = {
    last_analysis_date: 1_717_000_000,
    last_analysis_stats: {
      harmless: fixture.harmless ?? 60,
      malicious: fixture.malicious ?? 0,
      suspicious: fixture.suspicious ?? 0,
      undetected: fixture.undetected ?? 25,
      timeout: 0,
    },
    last_analysis_results: engines(fixture),
    reputation: fixture.reputation ?? 0,
    total_votes: { harmless: 3, malicious: fixture.malicious ? 7 : 0 },
    tags: [],
  };
  const perKind: Record<VirusTotalKind, Record<string, unknown>> = {
    ip: { as_owner: 'EXAMPLE-AS', asn: 64500, country: 'NL', network: `${key}/24` },
    domain: { registrar: 'Example Registrar', categories: { Forcepoint: 'information technology' }, last_dns_records: [] },
    url: { url: key, last_final_url: key, title: 'Example page', times_submitted: 4 },
    file: { meaningful_name: 'invoice.exe', size: 123_456, type_description: 'Win32 EXE', sha256: key },
  };
  return { ...base, ...perKind[kind], ...fixture.attributes };
}

function objectId(kind: VirusTotalKind, key: string): string {
  return kind === 'url' ? createHash('sha256').update(key).digest('hex') : key;
}

/** Starts the fake on 127.0.0.1 and a random port; `apiKey` is the only key it accepts. */
export async function startVirusTotalFake(options: { apiKey?: string } = {}): Promise<VirusTotalFake> {
  const apiKey = options.apiKey ?? 'vt-fake-key-0123456789';
  const reports = new Map<string, VirusTotalFixture>();
  let failure: number | undefined;

  const lookup = (kind: VirusTotalKind, rawId: string): FakeReply => {
    const key = kind === 'url' ? Buffer.from(rawId, 'base64url').toString('utf8') : decodeURIComponent(rawId).toLowerCase();
    if (kind === 'ip' && !net.isIP(key)) return vtError(400, `"${key}" is not a valid IP address`);
    const fixture = reports.get(`${kind}:${key}`) ?? (kind === 'ip' ? {} : undefined);
    if (!fixture)
      return vtError(404, `${kind === 'ip' ? 'IP address' : kind[0]!.toUpperCase() + kind.slice(1)} "${rawId}" not found`);
    const id = objectId(kind, key);
    const collection = Object.keys(COLLECTIONS).find((c) => COLLECTIONS[c] === kind)!;
    return json(200, {
      data: {
        id,
        type: TYPES[kind],
        links: { self: `https://www.virustotal.com/api/v3/${collection}/${id}` },
        attributes: attributesFor(kind, key, fixture),
      },
    });
  };

  const handler = (request: RecordedRequest): FakeReply => {
    if (request.headers['x-apikey'] === undefined)
      return json(401, { error: { code: 'AuthenticationRequiredError', message: 'X-Apikey header is missing' } });
    if (request.headers['x-apikey'] !== apiKey) return vtError(401);
    if (failure !== undefined) return vtError(failure);
    const match = /^\/api\/v3\/(ip_addresses|domains|urls|files)\/([^/]+)$/.exec(request.path);
    if (request.method !== 'GET' || !match) return vtError(404, `Not found: ${request.method} ${request.path}`);
    return lookup(COLLECTIONS[match[1]!]!, match[2]!);
  };

  const server = await startFakeServer(handler);
  return {
    ...server,
    apiKey,
    setReport: (kind, key, fixture) => void reports.set(`${kind}:${kind === 'url' ? key : key.toLowerCase()}`, fixture),
    failWith: (status) => void (failure = status),
  };
}
