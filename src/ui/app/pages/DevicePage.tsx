// One client's page (issue 16 item 3): its registration, then panels, each in its own file under
// device/: the object tree with every per-resource operation (ObjectTree), composite operations
// with named sets (CompositePanel), queued requests of a sleeping client (QueuePanel) and the
// CoAP message log (MessageLog).
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import { href } from '../router.js';
import type { RegistrationJson } from '../types.js';
import { ObjectTree } from '../device/ObjectTree.js';
import { RequestSettingsBar } from '../device/RequestSettingsBar.js';
import { CompositePanel } from '../device/CompositePanel.js';
import { QueuePanel } from '../device/QueuePanel.js';
import { MessageLog } from '../device/MessageLog.js';

export function DevicePage({ endpoint }: { readonly endpoint: string }) {
  const registration = useSignal<RegistrationJson | undefined>(undefined);
  const error = useSignal<string | undefined>(undefined);
  useEffect(() => {
    registration.value = undefined;
    error.value = undefined;
    api<RegistrationJson>('GET', `/clients/${encodeURIComponent(endpoint)}`)
      .then((r) => (registration.value = r))
      .catch((e: unknown) => (error.value = e instanceof ApiError ? e.message : String(e)));
  }, [endpoint]);
  const reg = registration.value;
  return (
    <main class="device">
      <p>
        <a href={href('clients')}>Clients</a> /
      </p>
      <h1>{endpoint}</h1>
      <ErrorText error={error.value} />
      {reg && (
        <>
          <RequestSettingsBar />
          <ObjectTree registration={reg} />
          <CompositePanel registration={reg} />
          <QueuePanel registration={reg} />
          <MessageLog registration={reg} />
        </>
      )}
    </main>
  );
}
