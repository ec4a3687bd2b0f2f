import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';
import { ActionError } from '../action.js';

/** Reading, decoding and describing response bodies, and turning a service's error answer into an ActionError. */

const EXCERPT_LENGTH = 300;

/** A URL without its query and credentials, for messages (an API key may sit in the query). */
export function describeUrl(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function tooLarge(url: string, maxBytes: number): ActionError {
  const size = maxBytes >= 1024 * 1024 ? `${+(maxBytes / 1024 / 1024).toFixed(2)} MB` : `${maxBytes} bytes`;
  return new ActionError(`The response from ${url} is larger than the ${size} limit (maxResponseBytes).`, false, {
    maxResponseBytes: maxBytes,
  });
}

function decompress(body: Buffer, encoding: string | undefined, maxBytes: number, url: string): Buffer {
  const options = { maxOutputLength: maxBytes };
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.gunzipSync(body, options);
    if (encoding === 'deflate') return zlib.inflateSync(body, options);
    if (encoding === 'br') return zlib.brotliDecompressSync(body, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(url, maxBytes);
    throw new ActionError(`The response from ${url} could not be decoded (${encoding}).`);
  }
  return body;
}

/** Reads a response body, stopping (and failing with a message naming the limit) past `maxBytes`. */
export function readLimited(response: IncomingMessage, options: { maxBytes: number; url: string }): Promise<Buffer> {
  const { maxBytes, url } = options;
  return new Promise((resolve, reject) => {
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(tooLarge(url, maxBytes));
      response.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(tooLarge(url, maxBytes));
        response.destroy();
      } else chunks.push(chunk);
    });
    response.on('error', reject);
    response.on('aborted', () => reject(new ActionError(`The response from ${url} was cut off.`, true)));
    response.on('end', () => {
      try {
        resolve(decompress(Buffer.concat(chunks), response.headers['content-encoding'], maxBytes, url));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Whether a content type is JSON (`application/json`, `application/problem+json`, …). */
export function isJsonType(contentType: string | undefined): boolean {
  return !!contentType && /^[^;]*[/+]json\s*(;|$)/i.test(contentType.trim());
}

/** The body as JSON when the content type says so (and it parses), else as text; empty JSON is null. */
export function parseBody(headers: Record<string, string>, body: Buffer): unknown {
  const text = body.toString('utf8');
  if (!isJsonType(headers['content-type'])) return text;
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The start of a body on one line, for error messages. */
export function bodyExcerpt(body: Buffer | string, max = EXCERPT_LENGTH): string {
  const text = (typeof body === 'string' ? body : body.subarray(0, max * 4).toString('utf8')).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Whether a status is worth retrying: timeouts, too many requests, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** An error for a service's non-success answer: who answered what to which request, and a short excerpt. */
export function statusError(
  service: string,
  request: { method: string; url: string | URL },
  response: { status: number; headers: Record<string, string>; body: Buffer },
  hint?: string,
): ActionError {
  const excerpt = bodyExcerpt(response.body);
  const retryAfter = response.headers['retry-after'];
  return new ActionError(
    `${service} answered HTTP ${response.status} to ${request.method} ${describeUrl(request.url)}` +
      `${hint ? ` (${hint})` : ''}${excerpt ? `: ${excerpt}` : ''}`,
    isRetryableStatus(response.status),
    { status: response.status, body: excerpt, ...(retryAfter ? { retryAfter } : {}) },
  );
}
