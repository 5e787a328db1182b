// Issue 16 item 4: every credential a listing's filters match, as a download without keys (GET
// {prefix}/security?export=csv|json). Read a page at a time in endpoint order (securityPage.ts), so
// memory stays bounded by one page however large the store, and streamed as it is read. The JSON
// export is a credentials file (endpoint name → credentials) with the PSK keys left out: it goes
// back through the import once the keys are filled in; the CSV has the import's columns with an
// empty key column.
import { Readable } from 'node:stream';
import type { SecurityStore } from '../store/SecurityStore.js';
import { securityCsvHeader, securityCsvLine } from './securityCsv.js';
import { securityInfoView, type SecurityInfoView } from './securityJson.js';
import { securityPage, type SecurityPageQuery } from './securityPage.js';

/** The export formats. */
export type SecurityExportFormat = 'csv' | 'json';

/** Credentials read per page of an export. */
const EXPORT_PAGE = 1000;

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
  let cursor: string | undefined;
  let first = true;
  do {
    const page = await securityPage(store, {
      ...filters,
      limit: EXPORT_PAGE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    let chunk = '';
    for (const info of page.items) {
      const view = securityInfoView(info);
      if (format === 'csv') chunk += securityCsvLine(view);
      else {
        chunk += `${first ? '\n' : ',\n'}  ${JSON.stringify(view.endpoint)}: ${JSON.stringify(fileEntry(view))}`;
        first = false;
      }
    }
    if (chunk) yield chunk;
    cursor = page.next;
  } while (cursor !== undefined);
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
