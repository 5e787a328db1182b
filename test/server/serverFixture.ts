// Shared setup of the server tests: an Lwm2mServer on UDP 127.0.0.1 (ephemeral port) with a
// ManualClock, a scripted raw-CoAP client, and a recorder of the server's events.
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import type { Lwm2mServerEvents } from '../../src/server/Lwm2mServerEvents.js';
import type { Lwm2mServerOptions } from '../../src/server/Lwm2mServerOptions.js';
import { closeAfter } from '../support/closeAfter.js';
import { ManualClock } from '../support/ManualClock.js';
import { ScriptedClient } from '../support/ScriptedClient.js';

/** Every event the server emitted, in order, as [name, argument]. */
export type EventLog = [keyof Lwm2mServerEvents, unknown][];

const NAMES: (keyof Lwm2mServerEvents)[] = [
  'registered',
  'updated',
  'deregistered',
  'expired',
  'notification',
  'send',
  'awake',
  'sleeping',
  'warning',
];

/**
 * A started server, its clock, one scripted client and the event log. Closed when the calling
 * test ends, passed or failed (`close()` may also be called earlier, and twice).
 */
export async function startServer(options: Lwm2mServerOptions = {}) {
  const clock = new ManualClock(1_000_000);
  const server = await Lwm2mServer.start({ address: '127.0.0.1', port: 0, clock, ...options });
  const events: EventLog = [];
  for (const name of NAMES) server.on(name, (e: unknown) => void events.push([name, e]));
  const target = { address: '127.0.0.1', port: server.address().port };
  const client = await ScriptedClient.open(target);
  const close = async (): Promise<void> => {
    await client.close();
    await server.stop();
  };
  closeAfter({ close });
  const named = (name: keyof Lwm2mServerEvents): unknown[] =>
    events.filter(([n]) => n === name).map(([, e]) => e);
  return { server, clock, client, events, named, target, close };
}

/** Lets pending I/O and promise callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
