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
  if (NODE_MAJOR >= 24) {
    // No --test-force-exit there: the watchdog ends the file 10 s past its limit.
    assert.match(r.output, /leaks\.test\.ts: still running 18 s after it started/);
  } else {
    // --test-force-exit ends it as soon as its tests are done, well before the limit.
    assert.doesNotMatch(r.output, /timed out|still running/);
  }
});

test('every describe block of every file runs (on Node 24 --test-force-exit could skip the last one)', async () => {
  const suites = (n: number): string =>
    `describe('first', () => {\n${Array.from({ length: n }, (_, i) => `  test('a${i}', () => assert.ok(true));`).join('\n')}\n});\n` +
    `describe('second', () => {\n  test('b0', () => assert.ok(true));\n  test('b1', () => assert.ok(true));\n});\n`;
  const files: Record<string, string> = {};
  for (let i = 0; i < 4; i++)
    files[`two-${i}.test.ts`] = `${HEADER}import { describe } from 'node:test';\n${suites(12)}`;
  const r = await runRunner(files, { TEST_FILE_TIMEOUT_MS: '8000' });
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /ℹ tests 56\n/);
  assert.match(r.output, /ℹ pass 56\n/);
});

test('an invalid file time limit is refused before any test runs', async () => {
  const r = await runRunner(
    { 'x.test.ts': `${HEADER}test('x', () => {});\n` },
    { TEST_FILE_TIMEOUT_MS: 'soon' },
  );
  assert.equal(r.code, 1);
  assert.match(r.output, /TEST_FILE_TIMEOUT_MS must be a positive integer/);
});
