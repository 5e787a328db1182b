#!/usr/bin/env node
// Runs node:test over every test/**/*.test.ts through tsx (Node 20's --test does not expand globs).
// Arguments narrow the run to files or folders: `npm test -- test/coap test/content/tlv.test.ts`.
//
// A failing test must end as a failure, never as a hang:
// - every test file has a time limit (TEST_FILE_TIMEOUT_MS, default 240 s, passed as --test-timeout:
//   Node 20 and 22 apply it to each file's process, Node 24 to each test), after which the
//   unfinished tests are reported as cancelled and the run fails;
// - --test-force-exit is not used: on Node 22.x (22.23) and 24.x it can end a file's process while
//   some of its tests have not started, and those tests silently never run (seen: 19 to 30 of
//   test/content/senmlJson.test.ts's 45 tests in half the runs on Node 22.23.5, 19 of 22 of
//   bootstrapConfigJson.test.ts on Node 24). Instead scripts/test-file-watchdog.mjs, preloaded into
//   each file's process, fails a file whose process is still alive 10 s past TEST_FILE_TIMEOUT_MS,
//   so a test that hangs or leaves a socket or timer open fails rather than hangs the run
//   (fixtures close what they open in `after` hooks).
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
const watchdog = new URL('./test-file-watchdog.mjs', import.meta.url).href;
const started = Date.now();
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--import',
    watchdog,
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
