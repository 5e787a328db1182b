// The test runner (scripts/run-tests.mjs) turns a hanging or leaking test file into a prompt
// result: a file over its time limit fails (its unfinished tests cancelled), and a file whose
// failed test left a socket open still ends once its tests are done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const RUNNER = resolve('scripts/run-tests.mjs');
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

interface RunResult {
  readonly code: number | null;
  readonly output: string;
}

/** Runs the runner over `files` (name → source) in a fresh directory. */
async function runRunner(
  files: Record<string, string>,
  env: Record<string, string> = {},
): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'run-tests-'));
  try {
    for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
    // NODE_TEST_CONTEXT would make the nested node:test skip its files: this is a fresh run.
    const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;
    const child = spawn(process.execPath, [RUNNER, dir], { env: { ...parentEnv, ...env } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // The runner is expected to end on its own; this only stops a broken runner from hanging here.
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    clearTimeout(guard);
    return { code, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HEADER = `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport dgram from 'node:dgram';\n`;

test('a test that never ends fails its file once the file time limit passes; other files still run', async () => {
  const r = await runRunner(
    {
      'hangs.test.ts': `${HEADER}
test('waits forever on a live timer', async () => { await new Promise(() => setInterval(() => {}, 1000)); });
test('never reached', () => {});
`,
      'fine.test.ts': `${HEADER}test('passes', () => assert.equal(1, 1));\n`,
    },
    // Long enough for tsx to load the fine file on a loaded machine (4 s was not), short enough
    // to keep the suite quick: the hanging file costs this much once.
    { TEST_FILE_TIMEOUT_MS: '15000' },
  );
  assert.equal(r.code, 1, r.output);
  assert.match(r.output, /hangs\.test\.ts/);
  assert.match(r.output, /timed out after 15000ms/);
  // Node 20 and 22 apply the limit to the whole file (its later tests are cancelled too); Node 24
  // to each test (the hanging one alone fails). Either way the other file ran and passed.
  assert.match(r.output, /✔ passes/);
  assert.match(r.output, /ℹ cancelled [1-9]/);
});

test('a failed test that leaves a socket open ends as a failure, not a hang', async () => {
  const r = await runRunner(
    {
      'leaks.test.ts': `${HEADER}
test('binds, then fails before closing', async () => {
  const s = dgram.createSocket('udp4');
  await new Promise((r) => s.bind(0, '127.0.0.1', () => r(undefined)));
  assert.equal(1, 2, 'planted failure');
});
`,
    },
    { TEST_FILE_TIMEOUT_MS: '8000' },
  );
  assert.equal(r.code, 1, r.output);
  assert.match(r.output, /planted failure/);
  // No --test-force-exit: the open socket keeps the file alive until its limit, which fails it
  // (Node 20 and 22 time the whole file out; on Node 24 the watchdog ends it 10 s later).
  if (NODE_MAJOR >= 24) assert.match(r.output, /leaks\.test\.ts: still running 18 s after it started/);
  else assert.match(r.output, /leaks\.test\.ts/);
});

test('every test of every file runs (with --test-force-exit, Node 22.23 and 24 could skip some)', async () => {
  // The shape that lost tests under `node --test --test-force-exit` (1 run in 2 or 3 with 12 such
  // files on Node 22.23.5 and 24.x; never on Node 20): top-level tests, sync ones around async
  // ones. This does not pin the race: through this runner it did not show even with the flag put
  // back (0 of 7 tries, Node 22). It checks that the runner runs and counts every test.
  const sync = (prefix: string, n: number): string =>
    Array.from({ length: n }, (_, i) => `test('${prefix}${i}', () => assert.ok(true));\n`).join('');
  const async = Array.from(
    { length: 10 },
    (_, i) => `test('a${i}', async () => { await new Promise((r) => setImmediate(r)); assert.ok(true); });\n`,
  ).join('');
  const files: Record<string, string> = {};
  for (let i = 0; i < 16; i++)
    files[`many-${i}.test.ts`] = `${HEADER}${sync('s', 20)}${async}${sync('t', 15)}`;
  const r = await runRunner(files, { TEST_FILE_TIMEOUT_MS: '30000' });
  const summary = r.output
    .split('\n')
    .filter((l) => l.startsWith('ℹ '))
    .join('\n');
  assert.equal(r.code, 0, summary);
  assert.match(summary, /ℹ tests 720\n/);
  assert.match(summary, /ℹ pass 720\n/);
});

test('an invalid file time limit is refused before any test runs', async () => {
  const r = await runRunner(
    { 'x.test.ts': `${HEADER}test('x', () => {});\n` },
    { TEST_FILE_TIMEOUT_MS: 'soon' },
  );
  assert.equal(r.code, 1);
  assert.match(r.output, /TEST_FILE_TIMEOUT_MS must be a positive integer/);
});
