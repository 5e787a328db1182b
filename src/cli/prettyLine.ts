// The `--log-format pretty` rendering of one pino JSON line: time of day, level, message, then
// the other fields as key=value, e.g. "14:05:01.250 INFO  registered endpoint=dev-1 regId=a1".
// A line that is not a JSON object passes through unchanged.

const RESERVED = new Set(['time', 'level', 'msg']);

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** One pino JSON line (with or without its newline) as a readable line ending in a newline. */
export function prettyLine(json: string): string {
  let entry: unknown;
  try {
    entry = JSON.parse(json);
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `${json.trimEnd()}\n`;
  const e = entry as Record<string, unknown>;
  const time = typeof e.time === 'string' ? e.time.slice(11, 23) : '';
  const level = String(e.level ?? '')
    .toUpperCase()
    .padEnd(5);
  const fields = Object.entries(e)
    .filter(([k]) => !RESERVED.has(k))
    .map(([k, v]) => `${k}=${fieldText(v)}`);
  return `${[time, level, String(e.msg ?? ''), ...fields].filter((p) => p !== '').join(' ')}\n`;
}
