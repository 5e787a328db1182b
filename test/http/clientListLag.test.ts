// Issue 12 item 5: GET /api/clients with 200k registrations never blocks the event loop for more
// than 50 ms. The registrations go straight into the server's store (no UDP); the REST API runs
// over the real server port; the event-loop delay is measured by perf_hooks while pages are asked
// for: the first pages, deep pages through the cursor, a filter matching nothing (a full pass),
// a descending sort on lastUpdate, and three calls at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { lwm2mServerPort } from '../../src/http/lwm2mServerPort.js';
import { RegistrationPayloadCache } from '../../src/lwm2m/RegistrationPayloadCache.js';
import { newRegistration, parseRegisterRequest } from '../../src/lwm2m/registrationRequest.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { MemoryRegistrationStore } from '../../src/store/memory/MemoryRegistrationStore.js';
import { makePeer } from '../../src/transport/Peer.js';
import { ManualClock } from '../support/ManualClock.js';

const N = 200_000;
const PAYLOAD = '</>;rt="oma.lwm2m";ct=11543,</1>;ver=1.1,</1/0>,</3/0>,</4/0>,</5/0>,</3303/0>';

async function fill(store: MemoryRegistrationStore): Promise<void> {
  const cache = new RegistrationPayloadCache();
  for (let i = 0; i < N; i++) {
    const peer = makePeer(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 5683);
    const query = [`ep=urn:imei:35${String((i * 7919) % N).padStart(13, '0')}`, 'lt=86400', 'lwm2m=1.1'];
    if (i % 10 === 0) query.push('Q');
    await store.add(
      newRegistration(parseRegisterRequest(query, PAYLOAD, peer, { payloadCache: cache }), `r${i}`, i),
    );
  }
}

/**
 * Longest stretch, in ms, for which this process kept its event loop busy, counted only while it
 * was running: each 5 ms tick's delay, capped by the CPU time the process used meanwhile. A loop
 * blocked by our code burns CPU for as long as it is late; a process that the kernel left waiting
 * for a core (a machine shared with other jobs) is late without using any.
 */
function busyLoopProbe(): { stop(): number } {
  let longest = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    longest = Math.max(longest, Math.min(now - last - 5, (cpu.user + cpu.system) / 1000));
    last = now;
    lastCpu = process.cpuUsage();
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      return longest;
    },
  };
}

interface Page {
  items: { endpoint: string }[];
  total: number;
  next?: string;
}

test('pages through 200k registrations without blocking the event loop for 50 ms', async (t) => {
  const store = new MemoryRegistrationStore();
  const server = await Lwm2mServer.start({ address: '127.0.0.1', port: 0, store, clock: new ManualClock(N) });
  const app = createHttpApi(lwm2mServerPort(server));
  try {
    await fill(store);
    await app.ready();
    const get = async (url: string): Promise<Page> => {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, res.body);
      return JSON.parse(res.body) as Page;
    };
    await get('/api/clients?limit=10'); // warm-up: JIT and route compilation
    // Filling the store left a large heap to mark: collect it now, so that the delay measured below
    // is the paging's, not that of a full collection the fill started.
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();

    /** Asks for the pages; answers the longest event-loop delays seen meanwhile, ms. */
    const run = async (): Promise<{ lag: number; busy: number }> => {
      const lag = monitorEventLoopDelay({ resolution: 5 });
      lag.enable();
      const probe = busyLoopProbe();
      const started = performance.now();
      let page = await get('/api/clients?limit=1000');
      assert.equal(page.total, N);
      assert.equal(page.items.length, 1000);
      const seen = new Set(page.items.map((c) => c.endpoint));
      for (let i = 0; i < 4 && page.next !== undefined; i++) {
        page = await get(`/api/clients?cursor=${page.next}`);
        for (const c of page.items) seen.add(c.endpoint);
      }
      assert.equal(seen.size, 1400, 'five pages, no repeats');
      const none = await get('/api/clients?endpointPrefix=urn:imei:99');
      assert.equal(none.total, 0);
      const queued = await get('/api/clients?queueMode=true&objectId=3303&sort=-lastUpdate&limit=500');
      assert.equal(queued.total, N / 10);
      assert.equal(queued.items.length, 500);
      const together = await Promise.all([
        get('/api/clients?sort=registeredAt'),
        get('/api/clients?sort=-endpoint'),
        get('/api/clients?binding=U&limit=1000'),
      ]);
      assert.deepEqual(
        together.map((p) => p.total),
        [N, N, N],
      );
      lag.disable();
      const busy = probe.stop();
      const maxMs = lag.max / 1e6;
      t.diagnostic(
        `${N} registrations: 11 pages in ${(performance.now() - started).toFixed(0)} ms; event-loop delay max ${maxMs.toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms; longest busy stretch ${busy.toFixed(1)} ms`,
      );
      return { lag: maxMs, busy };
    };
    // A machine shared with other jobs may deschedule this process for longer than 50 ms at any
    // time (the runner also runs two test files at once); code that blocks the loop does so on
    // every run. So the scenario runs up to five times, and passes when one run's event-loop delay
    // (perf_hooks) stays under 50 ms. When none does, the machine was busy: the longest stretch
    // the process itself kept the loop busy (busyLoopProbe) must then stay under 50 ms in every run.
    const runs: { lag: number; busy: number }[] = [];
    while (runs.length < 5 && !runs.some((r) => r.lag < 50)) runs.push(await run());
    if (!runs.some((r) => r.lag < 50)) {
      const busiest = Math.max(...runs.map((r) => r.busy));
      assert.ok(
        busiest < 50,
        `the event loop was blocked for ${Math.min(...runs.map((r) => r.lag)).toFixed(1)} ms in the best of five runs, and kept busy for ${busiest.toFixed(1)} ms`,
      );
    }
  } finally {
    await app.close();
    await server.stop();
  }
});
