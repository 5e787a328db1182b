// A button of one operation with its last outcome beside it (issue 16 item 3: "each button shows
// its last result"): the CoAP code or the error, with the time in its title, in a fixed-width slot
// so that results never move the row. `name` is the accessible name, e.g. "Read /3/0/1".
import { useSignal } from '@preact/signals';
import { resultOf } from './deviceRequests.js';

/** Props of OpButton. */
export interface OpButtonProps {
  /** Visible text, e.g. "Read". */
  readonly text: string;
  /** Accessible name and result key, e.g. "Read /3/0/1". */
  readonly name: string;
  readonly onRun: () => Promise<unknown>;
  readonly disabled?: boolean;
}

const time = (ms: number): string => new Date(ms).toLocaleTimeString();

/** A button that runs one operation and shows its last outcome. */
export function OpButton({ text, name, onRun, disabled }: OpButtonProps) {
  const busy = useSignal(false);
  const result = resultOf(name).value;
  return (
    <span class="op">
      <button
        type="button"
        aria-label={name}
        disabled={disabled === true || busy.value}
        onClick={() => {
          busy.value = true;
          void onRun().finally(() => (busy.value = false));
        }}
      >
        {text}
      </button>
      <output
        class={`op-result${result ? (result.ok ? ' ok' : ' failed') : ''}`}
        aria-label={`${name} result`}
        title={result ? `${result.message ?? result.text} at ${time(result.at)}` : undefined}
      >
        {busy.value ? '…' : result ? `${result.text} ${time(result.at)}` : ''}
      </output>
    </span>
  );
}

/** The message of the last failure of `name`, as an alert, or nothing. */
export function OpError({ names }: { readonly names: readonly string[] }) {
  const failed = names
    .map((n) => ({ n, r: resultOf(n).value }))
    .filter((x) => x.r && !x.r.ok)
    .sort((a, b) => b.r!.at - a.r!.at)[0];
  return failed ? (
    <p role="alert" class="error">
      {failed.n}: {failed.r!.message}
    </p>
  ) : null;
}
