// The table of a composite set: each path with its last value (read or notified; the cell keeps
// its size so live updates do not move the layout) and, for a resource path, a typed value to
// write with Write-Composite.
import type { Signal } from '@preact/signals';
import { WRITE_TYPES, type WriteRow, type WriteType } from './compositeWrite.js';

/** Resource and resource instance paths can be written (Core TS 1.1.1 section 5.4.9). */
const writable = (path: string) => path.split('/').filter((s) => s !== '').length >= 3;

export function CompositeValues(props: {
  readonly paths: readonly string[];
  readonly values: Signal<Readonly<Record<string, string>>>;
  readonly rows: Signal<Readonly<Record<string, WriteRow>>>;
  readonly live: boolean;
}) {
  const { rows } = props;
  const row = (path: string): WriteRow => rows.value[path] ?? { text: '', type: 'auto' };
  const setRow = (path: string, change: Partial<WriteRow>) =>
    (rows.value = { ...rows.value, [path]: { ...row(path), ...change } });
  return (
    <table class="composite-values">
      <caption>{props.live ? 'Values (live)' : 'Values'}</caption>
      <thead>
        <tr>
          <th scope="col">Path</th>
          <th scope="col">Value</th>
          <th scope="col">Write value</th>
          <th scope="col">Type</th>
        </tr>
      </thead>
      <tbody>
        {props.paths.map((path) => (
          <tr key={path}>
            <th scope="row">{path}</th>
            <td class="composite-value" data-path={path}>
              {props.values.value[path] ?? '—'}
            </td>
            <td>
              {writable(path) && (
                <input
                  aria-label={`Write value for ${path}`}
                  value={row(path).text}
                  onInput={(e) => setRow(path, { text: e.currentTarget.value })}
                />
              )}
            </td>
            <td>
              {writable(path) && (
                <select
                  aria-label={`Type for ${path}`}
                  value={row(path).type}
                  onChange={(e) => setRow(path, { type: e.currentTarget.value as WriteType })}
                >
                  {WRITE_TYPES.map((t) => (
                    <option value={t}>{t === 'auto' ? 'from model' : t}</option>
                  ))}
                </select>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
