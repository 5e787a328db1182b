// `lwm2m server` as a process (issue 12 items 11, 12, 14): settings from the environment, JSON
// log lines on standard output, and SIGTERM: /readyz 503 while draining, a second SIGTERM ends the
// drain, the process logs "stopped" and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

test('SIGTERM drains with /readyz at 503, then stops and exits 0', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'server'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LWM2M_COAP_PORT: '0',
      LWM2M_COAPS_PORT: '0',
      LWM2M_COAP_ADDRESS: '127.0.0.1',
      LWM2M_HTTP_PORT: '0',
      LWM2M_LOG_FORMAT: 'json',
      LWM2M_DRAIN_DELAY: '600000',
      LWM2M_STORE: 'memory', // never the repository's ./data
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const entries = (): Array<Record<string, unknown>> =>
    out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  /** Polls `check` every 50 ms, for at most 30 s. */
  const until = async <T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> => {
    for (let i = 0; i < 600; i++) {
      const v = await check();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${what}: not seen; stdout:\n${out}\nstderr:\n${err}`);
  };
  try {
    const api = await until('REST API line', () => entries().find((e) => e.msg === 'REST API listening'));
    const base = String(api.url).replace(/\/api$/, '');
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    child.kill('SIGTERM');
    await until('503 from /readyz', async () =>
      (await fetch(`${base}/readyz`)).status === 503 ? true : undefined,
    );
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'alive while draining');
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    const messages = entries().map((e) => e.msg);
    assert.deepEqual(messages.slice(-3), ['shutting down', 'draining: /readyz answers 503', 'stopped']);
    assert.ok(entries().every((e) => typeof e.time === 'string' && typeof e.level === 'string'));
  } finally {
    child.kill('SIGKILL');
  }
});
