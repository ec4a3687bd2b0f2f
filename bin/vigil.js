#!/usr/bin/env node
// The `vigil` command: runs the compiled CLI (built by `npm run build`, which `npm start` runs first).
import { main } from '../dist/src/cli/main.js';

main(process.argv).catch((error) => {
  process.stderr.write(`${error?.message ?? error}\n`);
  process.exitCode = 1;
});
