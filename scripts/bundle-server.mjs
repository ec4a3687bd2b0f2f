// Bundles the server and CLI (src/cli/main.ts and the modules it imports) into dist/server, which
// bin/vigil.js runs: one file loads in a fraction of the time Node's module loader takes over the
// ~300 compiled files and the packages they import. Packages that some requests or one database
// need are left out of it and still load on first use; better-sqlite3 is native.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Packages loaded from node_modules at run time instead of being copied into the bundle. */
export const UNBUNDLED = [
  'better-sqlite3',
  'pg',
  'pg-native',
  'graphile-worker',
  'pdfkit',
  'fontkit',
  'nodemailer',
  'markdown-it',
  'sanitize-html',
  // Playbook expressions and schedules.
  'jsonata',
  'cron-parser',
];

/** Writes the bundle into `outdir` (default dist/server). */
export async function bundleServer(outdir = path.join(ROOT, 'dist', 'server')) {
  fs.rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [path.join(ROOT, 'src', 'cli', 'main.ts')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    external: UNBUNDLED,
    // CommonJS packages in an ES-module bundle call require(): give the bundle one.
    banner: {
      js: "import { createRequire as __vigilRequire } from 'node:module'; const require = __vigilRequire(import.meta.url);",
    },
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleServer(process.argv[2]);
