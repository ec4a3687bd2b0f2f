import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

/** What CI must refuse besides failing behaviour: type errors (incl. unused code) and unformatted files. */
describe('static checks', () => {
  it('type-checks the whole project (server, tests, benchmarks and web UI)', async () => {
    for (const project of ['tsconfig.json', 'web/tsconfig.json']) {
      const result = await run(bin('tsc'), ['-p', project, '--noEmit'], { cwd: root }).catch((e) => e);
      expect(result.stdout ?? '', project).toBe('');
    }
  }, 180_000);

  it('keeps every source file formatted', async () => {
    const result = await run(bin('prettier'), ['--check', '--log-level', 'warn', 'src', 'test', 'bench', 'web'], {
      cwd: root,
    }).catch((e) => e);
    expect(result.stderr ?? '').toBe('');
  }, 120_000);
});
