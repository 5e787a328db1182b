// The latest value of a resource (or resource instance) with its sparkline, in a fixed-size cell:
// live notifications replace the text in place and never move the row (issue 16 item 3).
import { recentAt } from './recentValues.js';
import { Sparkline } from './Sparkline.js';
import { valueText } from './valueText.js';

/** The latest value at `path` and its sparkline. */
export function ValueCell({ path, type }: { readonly path: string; readonly type?: string }) {
  const samples = recentAt(path).value;
  const last = samples.at(-1);
  const text = last === undefined ? '' : valueText(type, last.value);
  return (
    <span class="value-cell">
      <output
        class={`value${last?.source === 'notification' ? ' live' : ''}`}
        aria-live="off"
        aria-label={`Value of ${path}`}
        title={last ? `${text} (${last.source}, ${new Date(last.at).toLocaleTimeString()})` : 'not read yet'}
      >
        {text}
      </output>
      <Sparkline samples={samples} label={`Recent values of ${path}`} />
    </span>
  );
}
