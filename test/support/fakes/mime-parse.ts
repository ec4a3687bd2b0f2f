/**
 * A minimal MIME parser for the SMTP sink (mailparser is not installed): headers (unfolded,
 * encoded words decoded), addresses, and the text and HTML bodies of single-part and nested
 * multipart messages in 7bit, 8bit, quoted-printable or base64.
 */

/** A received message, parsed. */
export interface ParsedMail {
  headers: Record<string, string>;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  messageId?: string;
  text?: string;
  html?: string;
}

function splitHead(raw: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  return match ? { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) } : { head: raw, body: '' };
}

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const input = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < input.length; i++) {
    const hex = input.slice(i + 1, i + 3);
    if (input[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(input[i]!, 'utf8'));
  }
  return Buffer.from(bytes);
}

function charsetOf(charset: string | undefined): BufferEncoding {
  return /^(iso-8859-1|latin1|us-ascii|ascii)$/i.test(charset ?? '') ? 'latin1' : 'utf8';
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`). */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, charset: string, kind: string, data: string) => {
      const bytes = kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return bytes.toString(charsetOf(charset));
    });
}

function parseHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = decodeWords(line.slice(colon + 1).trim());
    headers[name] = headers[name] ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

function param(header: string | undefined, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="?([^";]+)"?`, 'i').exec(header ?? '');
  return match?.[1];
}

function decodeBody(body: string, headers: Record<string, string>): string {
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const charset = charsetOf(param(headers['content-type'], 'charset'));
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString(charset);
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body).toString(charset);
  return body;
}

function walk(head: Record<string, string>, body: string, out: Partial<ParsedMail>): void {
  const type = (head['content-type'] ?? 'text/plain').toLowerCase();
  const boundary = param(head['content-type'], 'boundary');
  if (type.startsWith('multipart/') && boundary) {
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const { head: partHead, body: partBody } = splitHead(part.replace(/^\r?\n/, ''));
      walk(parseHeaders(partHead), partBody.replace(/\r?\n$/, ''), out);
    }
    return;
  }
  if (/attachment/i.test(head['content-disposition'] ?? '')) return;
  if (type.startsWith('text/plain') && out.text === undefined) out.text = decodeBody(body, head);
  if (type.startsWith('text/html') && out.html === undefined) out.html = decodeBody(body, head);
}

/** The email addresses in an address header (`"Name" <a@b>, c@d`). */
export function addressesOf(header: string | undefined): string[] {
  const out: string[] = [];
  for (const match of (header ?? '').matchAll(/<([^>]+)>|([^\s,<>"]+@[^\s,<>"]+)/g)) out.push((match[1] ?? match[2])!);
  return out;
}

/** Parses a raw RFC 5322 message. */
export function parseMail(raw: string): ParsedMail {
  const { head, body } = splitHead(raw);
  const headers = parseHeaders(head);
  const out: Partial<ParsedMail> = {};
  walk(headers, body, out);
  return {
    headers,
    from: addressesOf(headers.from)[0] ?? '',
    to: addressesOf(headers.to),
    cc: addressesOf(headers.cc),
    subject: headers.subject ?? '',
    messageId: headers['message-id'],
    text: out.text,
    html: out.html,
  };
}
