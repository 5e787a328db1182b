#!/usr/bin/env node
// Runs node:test over every test/**/*.test.ts through tsx (Node 20's --test does not expand globs).
// Arguments narrow the run to files or folders: `npm test -- test/coap test/content/tlv.test.ts`.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';

const collect = (p, out) => {
  if (statSync(p).isDirectory()) {
    for (const n of readdirSync(p).sort()) if (n !== 'node_modules') collect(join(p, n), out);
  } else if (p.endsWith('.test.ts')) out.push(p);
  return out;
};
const roots = process.argv.slice(2);
const files = (roots.length ? roots : ['test']).flatMap((r) => collect(resolve(r), []));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
