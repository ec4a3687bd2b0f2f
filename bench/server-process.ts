import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../src/app/version.js';

const run = promisify(execFile);
const VIGIL = path.join(projectRoot(), 'bin', 'vigil.js');

/** Environment for a server or CLI on a benchmark database. */
export function benchEnv(target: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LOG_LEVEL: 'warn',
    VIGIL_ADMIN_EMAIL: 'bench@vigil.local',
    VIGIL_ADMIN_PASSWORD: 'benchmark-password',
    ...(target.kind === 'sqlite' ? { DATA_DIR: path.dirname(target.file), DATABASE_URL: '' } : { DATABASE_URL: target.url }),
  };
}

/** Creates an Owner token with the CLI directly on the database (this also migrates and bootstraps it). */
export async function createToken(env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run('node', [VIGIL, '--json', 'tokens', 'create', '--name', 'bench', '--role', 'Owner'], { env });
  return (JSON.parse(stdout) as { token: string }).token;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A Vigil server in its own process, as in production. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn until /healthz answered. */
  startupMs: number;
  rssBytes(): number;
  stop(): Promise<void>;
}

/** Starts `vigil serve` and waits until /healthz answers. */
export async function startServer(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const port = await freePort();
  const started = performance.now();
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of each server process there (open it in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn('node', [...profile, VIGIL, 'serve', '--port', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const startupMs = performance.now() - started;
  return {
    url,
    child,
    startupMs,
    rssBytes: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
