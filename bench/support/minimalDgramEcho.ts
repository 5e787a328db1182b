// A tiny standalone node:dgram echo, the yardstick of the bench's ceiling (issue 17 item 1): it
// forks itself as a one-line echo server, keeps 64 datagrams in flight from one client socket
// (each echo sent straight back from the receive callback) and prints `RESULT <round trips/s>`.
// It shares no code with the bench harness, so `npm run bench -- server` can run it beside its
// own ceiling and show that the ceiling is at least as fast as the simplest possible echo.
//   node --import tsx bench/support/minimalDgramEcho.ts [durationMs]
import { fork, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const IN_FLIGHT = 64;

async function echoServer(): Promise<void> {
  const socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => socket.send(msg, rinfo.port, rinfo.address));
  socket.bind(0, HOST, () => process.send?.(socket.address().port));
  process.on('disconnect', () => socket.close(() => process.exit(0)));
}

async function echoClient(durationMs: number): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['server'], { execArgv: process.execArgv });
  const port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(Number(p))));
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  let received = 0;
  socket.on('message', (msg) => {
    received++;
    socket.send(msg, port, HOST);
  });
  for (let i = 0; i < IN_FLIGHT; i++) socket.send(Buffer.alloc(16), port, HOST);
  await new Promise((r) => setTimeout(r, 300)); // warm-up
  const r0 = received;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  const perSec = (received - r0) / ((performance.now() - t0) / 1000);
  console.log(`RESULT ${Math.round(perSec)}`);
  socket.close();
  child.disconnect();
}

/** Runs this file as its own process for `durationMs` and resolves with its round trips/s. */
export async function measureMinimalEcho(durationMs: number): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), String(durationMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const guard = setTimeout(() => child.kill('SIGKILL'), durationMs + 20_000);
  let result = NaN;
  for await (const line of createInterface({ input: child.stdout })) {
    const m = /^RESULT (\d+)/.exec(line);
    if (m) result = Number(m[1]);
  }
  clearTimeout(guard);
  return result;
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) {
  if (process.argv[2] === 'server') await echoServer();
  else await echoClient(Number(process.argv[2]) || 2_000);
}
