// The parent's side of the --sweep epilogue (issue 17 item 3): with every registration of the
// sweep held, `expiring` more clients register with a short lifetime and the server child times
// its expiry sweep removing them (sweepEpilogue.ts); then the REST API's first page of clients
// and a filtered page that matches few of them (a scan of every registration) are fetched and
// timed, with the server's event-loop delay meanwhile.
import type { ExpiryFigures } from './serverControl.js';
import { openClients } from './openClients.js';
import { runEach } from './runEach.js';
import type { SimTargets } from './SimulatedClient.js';
import type { ServerChild } from './startServerChild.js';

/** The short lifetime of the expiring clients, in seconds. */
const EXPIRING_LIFETIME_S = 60;
/** Paging requests of each kind; the slowest is reported. */
const PAGE_REQUESTS = 3;
const WINDOW_MAX_MS = 60_000;

/** One kind of page: its slowest latency, the clients it returned and the total it matched. */
export interface PageFigures {
  readonly query: string;
  readonly maxMs: number;
  readonly items: number;
  readonly total: number;
}

/** What the epilogue measured. */
export interface SweepFigures {
  readonly expiry: ExpiryFigures;
  readonly pages: readonly PageFigures[];
  /** Event-loop delay of the server while the pages were served. */
  readonly pagingLagP99Ms: number;
  readonly pagingLagMaxMs: number;
}

/** Fetches `query` of GET /api/clients PAGE_REQUESTS times, one at a time. */
async function timePage(port: number, query: string): Promise<PageFigures> {
  let maxMs = 0;
  let items = 0;
  let total = 0;
  for (let i = 0; i < PAGE_REQUESTS; i++) {
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/api/clients?${query}`, {
      signal: AbortSignal.timeout(WINDOW_MAX_MS),
    });
    if (!res.ok) throw new Error(`GET /api/clients?${query}: ${res.status}`);
    const page = (await res.json()) as { items: unknown[]; total: number };
    maxMs = Math.max(maxMs, performance.now() - t0);
    items = page.items.length;
    total = page.total;
  }
  return { query, maxMs, items, total };
}

/** Runs the epilogue; clients `from`..`from + expiring` are the expiring ones. */
export async function sweepFigures(
  server: ServerChild,
  targets: SimTargets,
  from: number,
  expiring: number,
  batch: number,
  inFlight: number,
): Promise<SweepFigures> {
  for (let a = from; a < from + expiring; a += batch) {
    const clients = await openClients(
      targets,
      a,
      Math.min(from + expiring, a + batch),
      (i) => `expiring-${i}`,
    );
    try {
      await runEach(clients, inFlight, (c) => c.register(undefined, EXPIRING_LIFETIME_S), WINDOW_MAX_MS);
    } finally {
      for (const c of clients) c.close();
    }
  }
  const expiry = await server.ask({ kind: 'expiry', expect: expiring, lifetimeS: EXPIRING_LIFETIME_S });
  const port = await server.ask({ kind: 'http' });
  await server.ask({ kind: 'lag' });
  const pages = [
    await timePage(port, 'limit=100'),
    // Endpoints bench-99999… : a handful of matches, found by examining every registration.
    await timePage(port, 'limit=100&endpointPrefix=bench-99999&sort=-lastUpdate'),
  ];
  const lag = await server.ask({ kind: 'lag' });
  return { expiry, pages, pagingLagP99Ms: lag.p99Ms, pagingLagMaxMs: lag.maxMs };
}
