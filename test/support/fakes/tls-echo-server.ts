import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * An HTTPS server with a self-signed certificate for one host name (made with the openssl
 * command) that answers `{ path, host, sni }`: to check that a client connecting to an address
 * still sends SNI and Host for the host name and verifies the certificate against it.
 */

/** The running server: `ca` is its certificate, to trust it. */
export interface TlsEchoServer extends FakeServer {
  ca: string;
}

/** Whether the openssl command is available (the TLS tests need it). */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function selfSigned(hostname: string): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-tls-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'].concat([
        '-keyout',
        key,
        '-out',
        cert,
        '-subj',
        `/CN=${hostname}`,
        '-addext',
        `subjectAltName=DNS:${hostname}`,
      ]),
      { stdio: 'ignore' },
    );
    return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the HTTPS server on 127.0.0.1 and a random port, its certificate naming `hostname`. */
export async function startTlsEchoServer(hostname: string): Promise<TlsEchoServer> {
  const tls = selfSigned(hostname);
  const server = await startFakeServer(
    (request, raw) =>
      json(200, { path: request.path, host: request.headers.host, sni: (raw.socket as TLSSocket).servername ?? null }),
    tls,
  );
  return { ...server, ca: tls.cert };
}
