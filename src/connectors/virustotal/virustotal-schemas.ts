import { z } from 'zod';
import { allowlistSetting, baseUrlSetting } from '../connector-kit.js';

/** Settings, secrets, inputs and output of the VirusTotal (API v3) connector. */

/** Non-secret settings: the API's base URL (tests point it at a fake) and the allowlist. */
export const virusTotalSettings = z.object({
  baseUrl: baseUrlSetting(
    'https://www.virustotal.com',
    'VirusTotal base URL; the API is under /api/v3 and report links under /gui.',
  ),
  allowlist: allowlistSetting,
});

/** The API key (sent in the x-apikey header). */
export const virusTotalSecrets = z.object({ apiKey: z.string().min(1).describe('VirusTotal API key.') });

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}\.?$/i;
const HASH = /^([a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{64})$/i;

/** Input of `virustotal.ipReport`. */
export const ipReportInput = z.object({ ip: z.union([z.ipv4(), z.ipv6()]).describe('An IPv4 or IPv6 address.') });
/** Input of `virustotal.domainReport`. */
export const domainReportInput = z.object({
  domain: z.string().regex(DOMAIN, 'must be a domain name such as example.com').describe('A domain name.'),
});
/** Input of `virustotal.urlReport`. */
export const urlReportInput = z.object({
  url: z.string().min(1).max(8192).describe('The URL as it was seen (its VirusTotal id is the unpadded base64url of this text).'),
});
/** Input of `virustotal.fileReport`. */
export const fileReportInput = z.object({
  hash: z
    .string()
    .regex(HASH, 'must be an MD5, SHA-1 or SHA-256 hash (32, 40 or 64 hex characters)')
    .describe('MD5, SHA-1 or SHA-256.'),
});

/** Output of every report: the verdict counts, reputation, a link to the report, and the raw `data`. */
export const reportOutput = z.object({
  found: z.boolean().describe('False when VirusTotal has no report (404): counts are then 0.'),
  id: z.string(),
  type: z.string(),
  malicious: z.number().int(),
  suspicious: z.number().int(),
  harmless: z.number().int(),
  undetected: z.number().int(),
  reputation: z.number().nullable(),
  lastAnalysisDate: z.string().nullable().describe('ISO 8601 time of the last analysis.'),
  link: z.string().describe('The report in the VirusTotal web interface.'),
  data: z.unknown().describe("VirusTotal's `data` object, as returned."),
});

/** A report as actions return it. */
export type ReportOutput = z.output<typeof reportOutput>;
