// The request settings of the device page (issue 16 item 3, "format and timeout per request"): the
// content format asked of the client, the deadline, and whether a request to a sleeping Queue Mode
// client is queued at once (202 with its queue id) instead of waited for. Shared by every panel
// through requestSettings.ts.
import { FORMATS, requestSettings, type FormatName } from './requestSettings.js';
import './objectTree.css';

/** The format, timeout and queue-if-sleeping controls of the device page. */
export function RequestSettingsBar() {
  const s = requestSettings.value;
  return (
    <form class="request-settings" aria-label="Request settings" onSubmit={(e) => e.preventDefault()}>
      <label for="rs-format">Format</label>
      <select
        id="rs-format"
        value={s.format ?? ''}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          const { format: _old, ...rest } = requestSettings.value;
          requestSettings.value = v === '' ? rest : { ...rest, format: v as FormatName };
        }}
      >
        <option value="">server chooses</option>
        {FORMATS.map((f) => (
          <option value={f}>{f}</option>
        ))}
      </select>
      <label for="rs-timeout">Timeout (s)</label>
      <input
        id="rs-timeout"
        type="number"
        min="1"
        max="300"
        step="1"
        value={s.timeoutS}
        onChange={(e) => {
          const n = Number((e.currentTarget as HTMLInputElement).value);
          if (n > 0 && n <= 300) requestSettings.value = { ...requestSettings.value, timeoutS: n };
        }}
      />
      <label>
        <input
          type="checkbox"
          checked={!s.wait}
          onChange={() =>
            (requestSettings.value = { ...requestSettings.value, wait: !requestSettings.value.wait })
          }
        />{' '}
        Queue if sleeping (answer at once with the queue id)
      </label>
    </form>
  );
}
