import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portOption, serveUntilSignal } from '../../src/cli/cliOptions.js';
import { serverCommand } from '../../src/cli/serverCommand.js';
import { captureLog } from '../support/captureLog.js';

test('portOption accepts 0..65535 and rejects anything else', () => {
  assert.equal(portOption('0'), 0);
  assert.equal(portOption('5683'), 5683);
  assert.equal(portOption('65535'), 65535);
  for (const bad of ['65536', '-1', '12a', '', '1.5', '123456'])
    assert.throws(() => portOption(bad), InvalidArgumentError, bad);
});

test('serveUntilSignal reports a failed start as "lwm2m <name>: message" with exit code 2', async (t) => {
  const errors: string[] = [];
  t.mock.method(console, 'error', (m: string) => void errors.push(m));
  const before = process.exitCode;
  try {
    await serveUntilSignal('server', () => Promise.reject(new Error('address in use')));
    assert.deepEqual(errors, ['lwm2m server: address in use']);
    assert.equal(process.exitCode, 2);
  } finally {
    process.exitCode = before;
  }
});

/** A stand-in for `process`: signal listeners to call by hand, and the exit code asked for. */
function fakeHost() {
  const listeners = new Map<string, Array<() => void>>();
  const exits: number[] = [];
  return {
    exits,
    on(signal: string, fn: () => void) {
      listeners.set(signal, [...(listeners.get(signal) ?? []), fn]);
    },
    exit(code: number) {
      exits.push(code);
    },
    signal(name: string) {
      for (const fn of listeners.get(name) ?? []) fn();
    },
  };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

test('SIGTERM drains (readiness off) for drainDelayMs before stopping; a second signal ends the wait', async () => {
  const { log, entries } = captureLog('info');
  const host = fakeHost();
  const steps: string[] = [];
  await serveUntilSignal(
    'server',
    async () => ({
      log,
      drainDelayMs: 600_000,
      drain: () => void steps.push('drain'),
      stop: async () => void steps.push('stop'),
    }),
    host,
  );
  host.signal('SIGTERM');
  await settle();
  assert.deepEqual(steps, ['drain'], 'still serving while draining');
  assert.deepEqual(host.exits, []);
  host.signal('SIGTERM');
  for (let i = 0; i < 5 && host.exits.length === 0; i++) await settle();
  assert.deepEqual(steps, ['drain', 'stop']);
  assert.deepEqual(host.exits, [0]);
  assert.deepEqual(
    entries().map((e) => e.msg),
    ['shutting down', 'draining: /readyz answers 503', 'stopped'],
  );
});

test('SIGINT stops at once, without the drain delay', async () => {
  const host = fakeHost();
  const steps: string[] = [];
  await serveUntilSignal(
    'server',
    async () => ({
      drainDelayMs: 600_000,
      drain: () => void steps.push('drain'),
      stop: async () => void steps.push('stop'),
    }),
    host,
  );
  host.signal('SIGINT');
  for (let i = 0; i < 5 && host.exits.length === 0; i++) await settle();
  assert.deepEqual(steps, ['drain', 'stop']);
  assert.deepEqual(host.exits, [0]);
});

test('a stop that fails still ends the process, with exit code 1 and an error entry', async () => {
  const { log, entries } = captureLog('info');
  const host = fakeHost();
  await serveUntilSignal(
    'server',
    async () => ({ log, stop: () => Promise.reject(new Error('socket already closed')) }),
    host,
  );
  host.signal('SIGINT');
  for (let i = 0; i < 5 && host.exits.length === 0; i++) await settle();
  assert.deepEqual(host.exits, [1]);
  const failed = entries().find((e) => e.msg === 'stopping failed');
  assert.equal(failed?.['level'], 'error');
});

test('a bad settings file stops `lwm2m server` with exit code 2 and a message naming the key', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lwm2m-cli-'));
  const errors: string[] = [];
  t.mock.method(console, 'error', (m: string) => void errors.push(m));
  const before = process.exitCode;
  try {
    const path = join(dir, 'server.json');
    await writeFile(path, JSON.stringify({ httpPort: 'eighty' }));
    await serverCommand().parseAsync(['--config', path], { from: 'user' });
    assert.equal(process.exitCode, 2);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^lwm2m server: settings file .*: key "httpPort": must be a port number/);
  } finally {
    process.exitCode = before;
    await rm(dir, { recursive: true, force: true });
  }
});
