#!/usr/bin/env node
// The `vigil` command: runs the bundled CLI and server (dist/server, built by `npm run build`, which `npm start` runs first).
import { main } from '../dist/server/main.js';

main(process.argv).catch((error) => {
  process.stderr.write(`${error?.message ?? error}\n`);
  process.exitCode = 1;
});
