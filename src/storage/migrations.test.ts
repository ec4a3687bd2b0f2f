import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { migrations } from './migrations/index.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const recorded = JSON.parse(fs.readFileSync(path.join(dir, 'checksums.json'), 'utf8')) as Record<string, string>;
const checksum = (name: string) =>
  createHash('sha256')
    .update(fs.readFileSync(path.join(dir, `${name}.ts`)))
    .digest('hex');

it('never changes a released migration: each file matches the checksum recorded when it was released', () => {
  for (const [name, sum] of Object.entries(recorded)) {
    expect(checksum(name), `${name}.ts changed after release; write a new migration instead`).toBe(sum);
  }
});

it('records every migration, in order, and only appends', () => {
  const names = Object.keys(migrations);
  expect(names, 'add the new migration to checksums.json (sha256 of its file)').toEqual(Object.keys(recorded));
  expect([...names].sort()).toEqual(names);
});
