#!/usr/bin/env node
// Runs node:test over every test/**/*.test.ts through tsx (Node 20's --test does not expand globs).
// Arguments narrow the run to files or folders: `npm test -- test/coap test/content/tlv.test.ts`.
//
// A failing test must end as a failure, never as a hang:
// - every test file has a time limit (TEST_FILE_TIMEOUT_MS, default 240 s, passed as --test-timeout:
//   Node 20 and 22 apply it to each file's process, Node 24 to each test), after which the
//   unfinished tests are reported as cancelled and the run fails;
// - on Node 20 and 22, --test-force-exit ends a file's process once its tests are done, even if a
//   failed test left a socket or timer behind (fixtures also close theirs in `after` hooks);
// - on Node 24 and later, --test-force-exit is not used: there it can end a file's process before
//   a later top-level describe block has started, and those tests silently never run. Instead
//   scripts/test-file-watchdog.mjs gives each file's process the TEST_FILE_TIMEOUT_MS limit, so a
//   file that hangs or leaves a handle open fails rather than hangs the run.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { buildUi } from './build-ui.mjs';

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
const fileTimeoutMs = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 240_000);
if (!Number.isInteger(fileTimeoutMs) || fileTimeoutMs <= 0) {
  console.error(
    `TEST_FILE_TIMEOUT_MS must be a positive integer (ms), got ${process.env.TEST_FILE_TIMEOUT_MS}`,
  );
  process.exit(1);
}
// The browser tests (test/ui) load the built web UI: build it first (~0.2 s).
await buildUi({ quiet: true });
const nodeMajor = Number(process.versions.node.split('.')[0]);
const fileLimit =
  nodeMajor >= 24
    ? ['--import', new URL('./test-file-watchdog.mjs', import.meta.url).href]
    : ['--test-force-exit'];
const started = Date.now();
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    ...fileLimit,
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=2',
    `--test-timeout=${fileTimeoutMs}`,
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, TEST_FILE_TIMEOUT_MS: String(fileTimeoutMs) } },
);
child.on('exit', (code, signal) => {
  console.log(`test files: ${files.length}, wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(signal ? 1 : (code ?? 1));
});
