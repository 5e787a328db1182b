// Issue 14 crash test at process level: a child `lwm2m server` on SQLite is killed with SIGKILL at
// random moments while raw CoAP devices register, update and de-register (crashChild.ts); after a
// restart on the same data directory every acknowledged registration is there and every
// acknowledged de-registration is gone.
// Bounded: DEVICES devices, WORKERS operations in flight, at most OPS_PER_RUN operations per run, KILLS kills, 1 s per answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crashFixture, kill, startChild, trafficUntilKilled, verify } from './crashChild.js';

const DEVICES = 40;
const WORKERS = 4;
const OPS_PER_RUN = 200;
const KILLS = 3;

test(
  'after SIGKILL at random moments, a restarted server has every acknowledged registration and no acknowledged de-registration',
  { timeout: 180_000 },
  async () => {
    const { dataDir, seed, random, devices } = await crashFixture(DEVICES);
    const totals = { acknowledged: 0, lost: 0, checkedPresent: 0, checkedAbsent: 0 };
    for (let run = 0; run <= KILLS; run++) {
      const running = await startChild(dataDir);
      if (run > 0) {
        const v = await verify(devices, running.target);
        totals.checkedPresent += v.present;
        totals.checkedAbsent += v.absent;
      }
      if (run === KILLS) {
        await kill(running.child);
        break;
      }
      const killAfter = 40 + Math.floor(random() * (OPS_PER_RUN - 40));
      await trafficUntilKilled(
        devices,
        running,
        random,
        { workers: WORKERS, killAfter, maxOps: OPS_PER_RUN },
        totals,
      );
    }
    assert.ok(totals.checkedPresent + totals.checkedAbsent > 0, 'something was checked');
    console.log(`crash test (seed ${seed}): ${JSON.stringify(totals)}`);
  },
);
