// A tiny SVG line of the numeric values of a resource (issue 16 item 3): fixed size, so that a new
// value never moves the layout; nothing drawn (the space kept) below two numeric values.
import type { Sample } from './recentValues.js';

const W = 80;
const H = 18;

/** The numbers among `samples`, in order (numeric strings of big integers included). */
export function numericValues(samples: readonly Sample[]): number[] {
  const out: number[] = [];
  for (const s of samples) {
    const n = typeof s.value === 'number' ? s.value : typeof s.value === 'string' ? Number(s.value) : NaN;
    if (typeof s.value === 'boolean') out.push(s.value ? 1 : 0);
    else if (Number.isFinite(n) && (typeof s.value === 'number' || /^-?\d+(\.\d+)?$/.test(String(s.value))))
      out.push(n);
  }
  return out;
}

/** The polyline points of `values` in a W×H box (a flat line in the middle when all are equal). */
export function sparkPoints(values: readonly number[]): string {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min;
  const step = values.length > 1 ? W / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const y = span === 0 ? H / 2 : H - 1 - ((v - min) / span) * (H - 2);
      return `${(i * step).toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/** The sparkline of the numeric `samples`, or the empty space it takes. */
export function Sparkline({
  samples,
  label,
}: {
  readonly samples: readonly Sample[];
  readonly label: string;
}) {
  const values = numericValues(samples);
  if (values.length < 2) return <span class="spark" aria-hidden="true" />;
  const min = Math.min(...values);
  const max = Math.max(...values);
  return (
    <svg
      class="spark"
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${label}: last ${values.length} values, from ${min} to ${max}`}
    >
      <polyline points={sparkPoints(values)} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
