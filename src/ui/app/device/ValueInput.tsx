// A typed input for one resource value (Core TS 1.1.1 Appendix C): a number field with the model's
// range, a true/false choice, a date-time field, hex or base64 for opaque, text otherwise. The text
// is kept as typed; valueText.ts's parseValue turns it into the API's JSON on submit.
import type { OpaqueEncoding } from './valueText.js';
import { numericRange } from './valueText.js';

/** Props of ValueInput. */
export interface ValueInputProps {
  readonly id: string;
  readonly label: string;
  readonly type: string;
  readonly range: string;
  readonly text: string;
  readonly onText: (text: string) => void;
  readonly opaque?: OpaqueEncoding;
  readonly onOpaque?: (e: OpaqueEncoding) => void;
}

/** The typed input of one value of `type`. */
export function ValueInput(p: ValueInputProps) {
  const range = numericRange(p.range);
  const onInput = (e: Event) => p.onText((e.currentTarget as HTMLInputElement).value);
  switch (p.type) {
    case 'boolean':
      return (
        <select id={p.id} aria-label={p.label} value={p.text} onChange={onInput}>
          <option value="">—</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
    case 'integer':
    case 'unsignedInteger':
    case 'float':
      return (
        <input
          id={p.id}
          aria-label={p.label}
          type="number"
          step={p.type === 'float' ? 'any' : '1'}
          min={range?.min ?? (p.type === 'unsignedInteger' ? 0 : undefined)}
          max={range?.max}
          value={p.text}
          onInput={onInput}
        />
      );
    case 'time':
      return (
        <input
          id={p.id}
          aria-label={p.label}
          type="datetime-local"
          step="1"
          value={p.text}
          onInput={onInput}
        />
      );
    case 'opaque':
      return (
        <span class="opaque-input">
          <input
            id={p.id}
            aria-label={p.label}
            value={p.text}
            placeholder={p.opaque === 'base64' ? 'base64' : 'hex, e.g. 01ab'}
            onInput={onInput}
          />
          <select
            aria-label={`${p.label} encoding`}
            value={p.opaque ?? 'hex'}
            onChange={(e) => p.onOpaque?.((e.currentTarget as HTMLSelectElement).value as OpaqueEncoding)}
          >
            <option value="hex">hex</option>
            <option value="base64">base64</option>
          </select>
        </span>
      );
    case 'objlnk':
      return <input id={p.id} aria-label={p.label} value={p.text} placeholder="3:0" onInput={onInput} />;
    default:
      return <input id={p.id} aria-label={p.label} value={p.text} onInput={onInput} />;
  }
}
