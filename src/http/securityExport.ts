// Issue 16 item 4: every credential a listing's filters match, as a download without keys (GET
// {prefix}/security?export=csv|json), in the store's order: one pass over SecurityStore.all(),
// written a chunk at a time as the client reads (Readable.from pulls on demand), so memory stays
// bounded by a chunk however large the store. (Endpoint order would cost a pass per page: 100 000
// credentials took 4 s of CPU that way, against one pass now.) The JSON
// export is a credentials file (endpoint name → credentials) with the PSK keys left out: it goes
// back through the import once the keys are filled in; the CSV has the import's columns with an
// empty key column.
import { Readable } from 'node:stream';
import type { SecurityStore } from '../store/SecurityStore.js';
import { securityCsvHeader, securityCsvLine } from './securityCsv.js';
import { securityInfoView, type SecurityInfoView } from './securityJson.js';
import type { SecurityPageQuery } from './securityPage.js';

/** The export formats. */
export type SecurityExportFormat = 'csv' | 'json';

/** Credentials per written chunk (and between two turns of the event loop). */
const EXPORT_CHUNK = 1000;

/** The credentials-file form of `view` without its key. */
function fileEntry(view: SecurityInfoView): Record<string, unknown> {
  switch (view.kind) {
    case 'psk':
      return { psk: { identity: view.psk.identity } };
    case 'rpk':
      return { rpk: { publicKey: view.rpk.publicKey } };
    case 'x509':
      return { x509: {} };
  }
}

async function* exportChunks(
  store: SecurityStore,
  filters: Pick<SecurityPageQuery, 'endpointPrefix' | 'kind'>,
  format: SecurityExportFormat,
): AsyncGenerator<string> {
  yield format === 'csv' ? securityCsvHeader() : '{';
  const prefix = filters.endpointPrefix ?? '';
  let chunk = '';
  let inChunk = 0;
  let first = true;
  for await (const info of store.all()) {
    if (!info.endpoint.startsWith(prefix) || (filters.kind !== undefined && info.kind !== filters.kind))
      continue;
    const view = securityInfoView(info);
    if (format === 'csv') chunk += securityCsvLine(view);
    else {
      chunk += `${first ? '\n' : ',\n'}  ${JSON.stringify(view.endpoint)}: ${JSON.stringify(fileEntry(view))}`;
      first = false;
    }
    if (++inChunk === EXPORT_CHUNK) {
      yield chunk;
      chunk = '';
      inChunk = 0;
      // a memory store's iterator never waits: let the event loop serve others between chunks
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  if (chunk) yield chunk;
  if (format === 'json') yield first ? '}\n' : '\n}\n';
}

/** A stream of the export of `store` in `format`. */
export function securityExportStream(
  store: SecurityStore,
  filters: Pick<SecurityPageQuery, 'endpointPrefix' | 'kind'>,
  format: SecurityExportFormat,
): Readable {
  return Readable.from(exportChunks(store, filters, format));
}
