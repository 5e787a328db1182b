// The typed values of a Write-Composite form as the REST API's `nodes` body (path → {type?, value});
// `auto` leaves the type to the client's object model on the server (nodeFromJson.ts).

/** Value types a composite write row offers. */
export const WRITE_TYPES = ['auto', 'string', 'integer', 'float', 'boolean', 'time'] as const;
export type WriteType = (typeof WRITE_TYPES)[number];

/** One row of the form. */
export interface WriteRow {
  readonly text: string;
  readonly type: WriteType;
}

/** The JSON value of `row`, or an Error naming what is wrong. */
function valueOf(path: string, row: WriteRow): unknown {
  const t = row.text.trim();
  switch (row.type) {
    case 'integer':
    case 'float': {
      const n = Number(t);
      if (t === '' || !Number.isFinite(n) || (row.type === 'integer' && !Number.isInteger(n)))
        throw new Error(`${path}: "${t}" is not ${row.type === 'integer' ? 'an integer' : 'a number'}`);
      return n;
    }
    case 'boolean':
      if (t !== 'true' && t !== 'false') throw new Error(`${path}: a boolean is true or false`);
      return t === 'true';
    case 'time':
      return /^\d+$/.test(t) ? Number(t) : t;
    default:
      return row.text;
  }
}

/** The `nodes` of the rows that hold a value (empty text: not written); throws on a bad value. */
export function writeNodes(rows: Readonly<Record<string, WriteRow>>): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  for (const [path, row] of Object.entries(rows)) {
    if (row.text === '') continue;
    const value = valueOf(path, row);
    nodes[path] = row.type === 'auto' ? { value } : { type: row.type, value };
  }
  return nodes;
}
