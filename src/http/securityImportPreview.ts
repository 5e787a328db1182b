// Issue 16 item 4: what an import (POST {prefix}/security?dryRun=true) would do, row by row, before
// anything is written: each endpoint's credentials checked alone, identities and raw public keys
// unique within the import, and not held by an endpoint the import leaves as it is (the 409 of the
// real import). Every row gets its own error, so an operator fixes a file in one pass; keys are
// never echoed.
import { InvalidSecurityInfoError, type SecurityInfo } from '../lwm2m/SecurityInfo.js';
import { parseSecurityInfoJson } from '../lwm2m/securityInfoJson.js';
import type { SecurityStore } from '../store/SecurityStore.js';
import type { SecurityCsvRow } from './securityCsv.js';

/** One row of an import to check: a CSV line, or one entry of a JSON body (no line). */
export interface SecurityImportRow {
  readonly line?: number;
  readonly endpoint: string;
  readonly credentials?: unknown;
  readonly error?: string;
}

/** What the import would do with one row; never a key. */
export interface SecurityImportPreviewRow {
  readonly line?: number;
  readonly endpoint: string;
  readonly kind?: 'psk' | 'rpk' | 'x509';
  readonly identity?: string;
  readonly publicKey?: string;
  /** create or replace; absent when the row is wrong. */
  readonly action?: 'create' | 'replace';
  readonly error?: string;
}

/** The whole preview. */
export interface SecurityImportPreview {
  readonly rows: readonly SecurityImportPreviewRow[];
  readonly valid: number;
  readonly invalid: number;
}

/** The rows of a JSON import body (endpoint name → credentials). */
export function jsonImportRows(body: Record<string, unknown>): SecurityImportRow[] {
  return Object.entries(body).map(([endpoint, credentials]) => ({ endpoint, credentials }));
}

/** The JSON body a set of well-formed CSV rows stands for; the first bad row throws, naming its line. */
export function csvImportBody(rows: readonly SecurityCsvRow[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const row of rows) {
    if (row.error !== undefined) throw new InvalidSecurityInfoError(`line ${row.line}`, row.error);
    if (Object.hasOwn(body, row.endpoint))
      throw new InvalidSecurityInfoError(
        `line ${row.line}`,
        `endpoint ${JSON.stringify(row.endpoint.slice(0, 255))} is repeated`,
      );
    body[row.endpoint] = row.credentials;
  }
  return body;
}

const quote = (s: string): string => JSON.stringify(s.slice(0, 255));

/** Checks every row of an import against `store` without writing. */
export async function previewSecurityImport(
  store: SecurityStore,
  rows: readonly SecurityImportRow[],
): Promise<SecurityImportPreview> {
  const endpoints = new Map<string, number>();
  for (const r of rows) endpoints.set(r.endpoint, (endpoints.get(r.endpoint) ?? 0) + 1);
  const identities = new Map<string, string>();
  const out: SecurityImportPreviewRow[] = [];
  let valid = 0;
  for (const row of rows) {
    const at = row.line === undefined ? {} : { line: row.line };
    let info: SecurityInfo;
    try {
      if (row.error !== undefined) throw new InvalidSecurityInfoError('', row.error);
      if (endpoints.get(row.endpoint)! > 1)
        throw new InvalidSecurityInfoError('endpoint', 'is repeated in this import');
      info = parseSecurityInfoJson(row.endpoint, row.credentials);
      const unique =
        info.kind === 'psk'
          ? `psk:${info.identity}`
          : info.kind === 'rpk'
            ? `rpk:${Buffer.from(info.publicKey).toString('hex')}`
            : undefined;
      if (unique !== undefined) {
        const field = info.kind === 'psk' ? 'psk.identity' : 'rpk.publicKey';
        const twin = identities.get(unique);
        if (twin !== undefined)
          throw new InvalidSecurityInfoError(
            field,
            `is also given to endpoint ${quote(twin)} in this import`,
          );
        identities.set(unique, info.endpoint);
        const held =
          info.kind === 'psk'
            ? await store.getByPskIdentity(info.identity)
            : info.kind === 'rpk'
              ? await store.getByPublicKey(info.publicKey)
              : undefined;
        if (held !== undefined && held.endpoint !== info.endpoint && !endpoints.has(held.endpoint))
          throw new InvalidSecurityInfoError(
            field,
            `already belongs to endpoint ${quote(held.endpoint)}, which this import leaves as it is`,
          );
      }
    } catch (e) {
      if (!(e instanceof InvalidSecurityInfoError)) throw e;
      out.push({ ...at, endpoint: row.endpoint, error: e.message });
      continue;
    }
    const action = (await store.getByEndpoint(info.endpoint)) === undefined ? 'create' : 'replace';
    valid++;
    out.push({
      ...at,
      endpoint: info.endpoint,
      kind: info.kind,
      ...(info.kind === 'psk' ? { identity: info.identity } : {}),
      ...(info.kind === 'rpk' ? { publicKey: Buffer.from(info.publicKey).toString('hex') } : {}),
      action,
    });
  }
  return { rows: out, valid, invalid: out.length - valid };
}
