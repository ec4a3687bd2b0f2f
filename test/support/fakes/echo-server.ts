import { gzipSync } from 'node:zlib';
import { json, startFakeServer, text, type FakeReply, type FakeServer, type RecordedRequest } from './fake-server.js';

/**
 * A generic HTTP server for the HTTP connector's tests. Every path echoes the request as JSON
 * (`{ method, path, query, headers, body, json }`) except:
 * - `/status/{code}`: answers that status with a JSON error body (`?retryAfter=` adds Retry-After);
 * - `/redirect?to={url}&status={30x}`: redirects to any URL (another fake, 127.0.0.1, …);
 * - `/bytes/{n}`: n bytes of text (`?chunked=1` omits Content-Length), `/gzip/{n}` the same gzipped;
 * - `/delay/{ms}`: answers after a delay;
 * - `/text`: a plain-text body; `/html`: an HTML body; `/empty`: 204.
 */

/** The running echo server. */
export interface EchoServer extends FakeServer {
  /** Answers the next request (whatever its path) with this reply instead. */
  replyOnce(reply: FakeReply): void;
}

function echo(request: RecordedRequest): FakeReply {
  const { method, path, query, headers, body } = request;
  return json(200, { method, path, query, headers, body, json: request.json ?? null });
}

async function route(request: RecordedRequest): Promise<FakeReply> {
  const [, first, arg] = request.path.split('/');
  if (first === 'status') {
    const retry = request.query.retryAfter ? { 'retry-after': request.query.retryAfter } : undefined;
    return json(Number(arg), { error: { code: `Status${arg}`, message: `the fake answered ${arg}` } }, retry);
  }
  if (first === 'redirect')
    return { status: Number(request.query.status ?? 302), headers: { location: request.query.to ?? '/' } };
  if (first === 'bytes') {
    const body = 'x'.repeat(Number(arg));
    return request.query.chunked
      ? { status: 200, headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' }, body }
      : text(200, body);
  }
  if (first === 'gzip')
    return {
      status: 200,
      headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' },
      body: gzipSync('y'.repeat(Number(arg))),
    };
  if (first === 'delay') {
    await new Promise((resolve) => setTimeout(resolve, Number(arg)));
    return json(200, { delayed: Number(arg) });
  }
  if (first === 'text') return text(200, 'plain text answer');
  if (first === 'html') return { status: 200, headers: { 'content-type': 'text/html' }, body: '<p>hello</p>' };
  if (first === 'empty') return { status: 204 };
  return echo(request);
}

/** Starts the echo server on 127.0.0.1 and a random port. */
export async function startEchoServer(): Promise<EchoServer> {
  const queued: FakeReply[] = [];
  const server = await startFakeServer((request) => queued.shift() ?? route(request));
  return { ...server, replyOnce: (reply) => void queued.push(reply) };
}
