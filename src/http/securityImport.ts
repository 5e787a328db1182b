// Issue 13 item 4: many credentials in one request (POST {prefix}/security), in the format of a
// credentials file (lwm2m/securityInfoJson.ts: endpoint name → credentials). The body is checked
// whole before anything is written. A SecurityStore writes one endpoint at a time, so an import
// can move a PSK identity (or a raw public key, unique likewise) from one imported endpoint to
// another only if the one giving it up is written first: the writes are ordered so, and an
// identity or key held by an endpoint the import does not touch, or ones swapped in a cycle,
// refuse the import before any write.
import { InvalidSecurityInfoError, type SecurityInfo } from '../lwm2m/SecurityInfo.js';
import { parseSecurityInfoFile } from '../lwm2m/securityInfoJson.js';
import { SecurityConflictError, type SecurityStore } from '../store/SecurityStore.js';

/** Most endpoints in one import. */
export const MAX_SECURITY_IMPORT = 10_000;

/** What an import wrote. */
export interface SecurityImportResult {
  /** Endpoints that had no credentials before. */
  readonly created: number;
  /** Endpoints whose credentials were replaced. */
  readonly replaced: number;
}

/** An import refused because of credentials already stored (HTTP 409); `written` were stored before it stopped. */
export class SecurityImportConflictError extends Error {
  constructor(
    message: string,
    /** Endpoints written before the conflict (0 when it was found before any write). */
    readonly written: number,
  ) {
    super(message);
    this.name = 'SecurityImportConflictError';
  }
}

const quote = (s: string): string => JSON.stringify(s.slice(0, 255));

/** The credentials a POST body holds, checked whole (InvalidSecurityInfoError naming the field). */
export function parseSecurityImport(body: unknown): SecurityInfo[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidSecurityInfoError(
      'body',
      'must be a JSON object of endpoint name → credentials, e.g. {"dev-1":{"psk":{"identity":"dev-1","key":"<hex>"}}}',
    );
  const count = Object.keys(body).length;
  if (count > MAX_SECURITY_IMPORT)
    throw new InvalidSecurityInfoError(
      'body',
      `must hold at most ${MAX_SECURITY_IMPORT} endpoints, got ${count}`,
    );
  return parseSecurityInfoFile(body);
}

/**
 * `infos` in an order the store accepts: an endpoint taking a PSK identity another imported
 * endpoint gives up comes after it. Throws SecurityImportConflictError when an identity belongs to
 * an endpoint outside the import, or when identities move in a cycle.
 */
async function writeOrder(store: SecurityStore, infos: readonly SecurityInfo[]): Promise<SecurityInfo[]> {
  const byEndpoint = new Map(infos.map((i) => [i.endpoint, i]));
  /** endpoint → the imported endpoint that holds its new identity now. */
  const waitsFor = new Map<string, string>();
  for (const info of infos) {
    if (info.kind === 'x509') continue;
    const held =
      info.kind === 'psk'
        ? await store.getByPskIdentity(info.identity)
        : await store.getByPublicKey(info.publicKey);
    const owner = held?.endpoint;
    if (owner === undefined || owner === info.endpoint) continue;
    // Identities and keys are unique within the import, so an imported owner gets another one (or none).
    if (!byEndpoint.has(owner))
      throw new SecurityImportConflictError(
        info.kind === 'psk'
          ? `${info.endpoint.slice(0, 255)}.psk.identity: already the identity of endpoint ${quote(owner)}, which this import leaves as it is`
          : `${info.endpoint.slice(0, 255)}.rpk.publicKey: already the key of endpoint ${quote(owner)}, which this import leaves as it is`,
        0,
      );
    waitsFor.set(info.endpoint, owner);
  }
  const order: SecurityInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of infos) {
    // Each endpoint waits for at most one other: the dependencies are chains, walked iteratively.
    const chain: string[] = [];
    for (let at: string | undefined = start.endpoint; at !== undefined && state.get(at) !== 'done';) {
      if (state.get(at) === 'visiting')
        throw new SecurityImportConflictError(
          `${at.slice(0, 255)}.${byEndpoint.get(at)?.kind === 'rpk' ? 'rpk.publicKey: raw public keys' : 'psk.identity: PSK identities'} move in a cycle (${chain.map(quote).join(' → ')}); import them in two steps`,
          0,
        );
      state.set(at, 'visiting');
      chain.push(at);
      at = waitsFor.get(at);
    }
    for (const endpoint of chain.reverse()) {
      state.set(endpoint, 'done');
      order.push(byEndpoint.get(endpoint)!);
    }
  }
  return order;
}

/** Stores `infos` (from parseSecurityImport) in `store`, each as SecurityStore.put. */
export async function importSecurityInfos(
  store: SecurityStore,
  infos: readonly SecurityInfo[],
): Promise<SecurityImportResult> {
  const order = await writeOrder(store, infos);
  let created = 0;
  let replaced = 0;
  for (const info of order) {
    try {
      if ((await store.put(info)).previous) replaced++;
      else created++;
    } catch (e) {
      const written = created + replaced;
      if (e instanceof SecurityConflictError)
        throw new SecurityImportConflictError(
          `${info.endpoint.slice(0, 255)}.${e.field}: taken by another endpoint while importing; ${written} of ${order.length} endpoints were written`,
          written,
        );
      throw e;
    }
  }
  return { created, replaced };
}
