import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * The base of the fake third-party services: a node:http server on 127.0.0.1 and a random port
 * that records every request (method, path, query, headers, body) before a handler answers it.
 */

/** A request as a fake received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

/** What a handler answers. */
export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
}

/** A running fake: its base URL, the requests it received, and how to stop it. */
export interface FakeServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Decides the answer to a recorded request (may be async, e.g. to delay). */
export type FakeHandler = (request: RecordedRequest, raw: http.IncomingMessage) => FakeReply | Promise<FakeReply>;

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

async function record(raw: http.IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of raw) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const url = new URL(raw.url ?? '/', 'http://fake.invalid');
  return {
    method: raw.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: raw.headers,
    body,
    json: parseJson(body),
  };
}

/** A JSON reply. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

/** A plain-text reply. */
export function text(status: number, body: string, headers: Record<string, string> = {}): FakeReply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body };
}

function send(response: http.ServerResponse, reply: FakeReply): void {
  const body =
    reply.body === undefined || typeof reply.body === 'string' || Buffer.isBuffer(reply.body)
      ? reply.body
      : JSON.stringify(reply.body);
  const headers = { ...reply.headers };
  if (body !== undefined && !headers['transfer-encoding']) headers['content-length'] = String(Buffer.byteLength(body));
  response.writeHead(reply.status, headers);
  response.end(body);
}

/** Starts a fake with the given handler on 127.0.0.1 and a random port (HTTPS when given a key and certificate). */
export async function startFakeServer(handler: FakeHandler, tls?: { key: string; cert: string }): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const listener: http.RequestListener = (raw, response) => {
    record(raw)
      .then(async (request) => {
        requests.push(request);
        send(response, await handler(request, raw));
      })
      .catch((error: unknown) => send(response, text(500, `fake failed: ${String(error)}`)));
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
