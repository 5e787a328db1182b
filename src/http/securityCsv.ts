// Issue 16 item 4: credentials as CSV (RFC 4180: comma-separated fields, fields in double quotes may
// hold commas, quotes doubled, CRLF or LF line ends) for the import (POST {prefix}/security with
// content-type text/csv) and the export (GET {prefix}/security?export=csv). One header line names
// the columns, in any order:
//   endpoint,mode,identity,key,publicKey
// mode is psk (identity + key in hex), rpk (publicKey: hex, base64 DER or PEM) or x509. The export
// writes the key column empty: keys are write-only, an export never holds one.
import { InvalidSecurityInfoError } from '../lwm2m/SecurityInfo.js';
import type { SecurityInfoView } from './securityJson.js';

/** The columns of a credentials CSV, in the order the export writes them. */
export const SECURITY_CSV_COLUMNS = ['endpoint', 'mode', 'identity', 'key', 'publicKey'] as const;
type Column = (typeof SECURITY_CSV_COLUMNS)[number];

/** One data line of an imported CSV: its credentials in the JSON form, or why the line is wrong. */
export interface SecurityCsvRow {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly endpoint: string;
  /** The JSON form of lwm2m/securityInfoJson.ts ({psk: {identity, key}} ...), when the line is well formed. */
  readonly credentials?: Record<string, unknown>;
  readonly error?: string;
}

/** Records of `text` (RFC 4180 section 2), each with the line it starts on; at most `maxRecords`. */
function records(text: string, maxRecords: number): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a spreadsheet's byte order mark
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: start, fields });
    if (out.length > maxRecords)
      throw new InvalidSecurityInfoError('body', `must hold at most ${maxRecords - 1} credentials`);
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      start = ++line;
    } else field += c;
  }
  if (quoted) throw new InvalidSecurityInfoError(`line ${start}`, 'a quoted field is not closed');
  endRecord();
  return out;
}

/**
 * The data lines of a credentials CSV (at most `maxRows`). A bad header throws
 * InvalidSecurityInfoError; a bad line is a row with an `error`, so a preview can list them all.
 */
export function parseSecurityCsv(text: string, maxRows: number): SecurityCsvRow[] {
  const [header, ...lines] = records(text, maxRows + 1);
  if (header === undefined)
    throw new InvalidSecurityInfoError(
      'body',
      `is empty: give a header line ${SECURITY_CSV_COLUMNS.join(',')}`,
    );
  const index = new Map<Column, number>();
  header.fields.forEach((name, i) => {
    const column = SECURITY_CSV_COLUMNS.find((c) => c.toLowerCase() === name.trim().toLowerCase());
    if (column === undefined || index.has(column))
      throw new InvalidSecurityInfoError(
        'header',
        `column ${JSON.stringify(name.slice(0, 64))} is unknown or repeated; the columns are ${SECURITY_CSV_COLUMNS.join(',')}`,
      );
    index.set(column, i);
  });
  if (!index.has('endpoint') || !index.has('mode'))
    throw new InvalidSecurityInfoError('header', 'must name the columns endpoint and mode');
  return lines.map(({ line, fields }) => {
    const get = (c: Column): string => {
      const i = index.get(c);
      return i === undefined ? '' : (fields[i] ?? '').trim();
    };
    const endpoint = get('endpoint');
    const fail = (error: string): SecurityCsvRow => ({ line, endpoint, error });
    if (fields.length !== header.fields.length)
      return fail(`has ${fields.length} fields, the header ${header.fields.length}`);
    if (endpoint === '') return fail('endpoint: is empty');
    const mode = get('mode').toLowerCase();
    const unused = (names: readonly Column[]): string | undefined => names.find((n) => get(n) !== '');
    let credentials: Record<string, unknown>;
    let extra: string | undefined;
    if (mode === 'psk') {
      credentials = { psk: { identity: get('identity'), key: get('key') } };
      extra = unused(['publicKey']);
    } else if (mode === 'rpk') {
      credentials = { rpk: { publicKey: get('publicKey') } };
      extra = unused(['identity', 'key']);
    } else if (mode === 'x509') {
      credentials = { x509: {} };
      extra = unused(['identity', 'key', 'publicKey']);
    } else return fail(`mode: must be psk, rpk or x509, got ${JSON.stringify(mode.slice(0, 32))}`);
    if (extra !== undefined) return fail(`${extra}: is not used in mode ${mode}; leave it empty`);
    return { line, endpoint, credentials };
  });
}

/** `value` as a CSV field: quoted when it holds a comma, a quote, a line end or edge spaces. */
function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The header line of an export. */
export const securityCsvHeader = (): string => `${SECURITY_CSV_COLUMNS.join(',')}\r\n`;

/** One export line of `view`: the key column stays empty. */
export function securityCsvLine(view: SecurityInfoView): string {
  const values: Record<Column, string> = {
    endpoint: view.endpoint,
    mode: view.kind,
    identity: view.kind === 'psk' ? view.psk.identity : '',
    key: '',
    publicKey: view.kind === 'rpk' ? view.rpk.publicKey : '',
  };
  return `${SECURITY_CSV_COLUMNS.map((c) => csvField(values[c])).join(',')}\r\n`;
}
