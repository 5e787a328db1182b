// One registration as the operator reads it (issue 16 item 2, "registration details"): lifetime
// with an expires-in countdown, binding, queue mode, version, address, the identity DTLS
// authenticated, the announced objects with versions and instances (Core TS 6.2.1 Register
// payload), and additional attributes. Exported for the device page header too.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { href } from '../router.js';
import type { RegistrationJson } from '../types.js';
import { clockTime, duration, expiresIn, securityLabel, securityModeOf } from './format.js';
import './clients.css';

function Identity({ reg }: { readonly reg: RegistrationJson }) {
  const id = reg.identity;
  if (id === undefined) return <>none (plain CoAP)</>;
  const text = (k: string): string => (typeof id[k] === 'string' ? (id[k] as string) : '');
  switch (id.kind) {
    case 'psk':
      return <>PSK identity {text('identity')}</>;
    case 'rpk':
      return (
        <>
          raw public key <code class="wrap">{text('publicKey')}</code>
        </>
      );
    case 'x509':
      return <>X.509 subject {text('subject')}</>;
    default:
      return <>{id.kind}</>;
  }
}

export function RegistrationDetails(props: {
  readonly registration: RegistrationJson;
  /** Shown when the client left after the registration was loaded. */
  readonly gone?: string;
  /** Link to the device page (default true; false on the device page itself). */
  readonly deviceLink?: boolean;
}) {
  const reg = props.registration;
  const now = useSignal(Date.now());
  useEffect(() => {
    const t = setInterval(() => (now.value = Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const attributes = Object.entries(reg.additionalAttributes ?? {});
  return (
    <section class="registration-details" aria-label={`Registration of ${reg.endpoint}`}>
      <h2>
        {reg.endpoint}
        {props.gone && <span class="badge gone">{props.gone}</span>}
      </h2>
      {props.deviceLink !== false && (
        <p>
          <a href={href('clients', reg.endpoint)}>Open the device page</a>
        </p>
      )}
      <dl>
        <dt>Lifetime</dt>
        <dd>{reg.lifetime === 0 ? 'infinite' : duration(reg.lifetime)}</dd>
        <dt>Expires</dt>
        <dd class="tabular">
          {props.gone ? '—' : expiresIn(reg.expiresAt, now.value)}
          {reg.expiresAt && <span class="muted"> ({clockTime(reg.expiresAt, now.value)})</span>}
        </dd>
        <dt>Binding</dt>
        <dd>{reg.binding}</dd>
        <dt>Queue mode</dt>
        <dd>{reg.queueMode ? 'yes' : 'no'}</dd>
        <dt>LwM2M version</dt>
        <dd>{reg.lwm2mVersion ?? '1.0'}</dd>
        <dt>Address</dt>
        <dd>
          {reg.address.includes(':') ? `[${reg.address}]` : reg.address}:{reg.port}
        </dd>
        <dt>Security</dt>
        <dd>
          {reg.identity && `${securityLabel(securityModeOf(reg))} — `}
          <Identity reg={reg} />
        </dd>
        <dt>Registered</dt>
        <dd>{clockTime(reg.registeredAt, now.value)}</dd>
        <dt>Last seen</dt>
        <dd>{clockTime(reg.lastUpdate, now.value)}</dd>
        <dt>Registration id</dt>
        <dd>
          <code>{reg.registrationId}</code>
        </dd>
        {reg.rootPath !== undefined && reg.rootPath !== '/' && (
          <>
            <dt>Root path</dt>
            <dd>{reg.rootPath}</dd>
          </>
        )}
        {reg.contentFormats && reg.contentFormats.length > 0 && (
          <>
            <dt>Content formats</dt>
            <dd>{reg.contentFormats.join(', ')}</dd>
          </>
        )}
      </dl>
      <h3>Objects</h3>
      <table class="objects">
        <thead>
          <tr>
            <th scope="col">Object</th>
            <th scope="col">Version</th>
            <th scope="col">Instances</th>
          </tr>
        </thead>
        <tbody>
          {(reg.objects ?? []).map((o) => (
            <tr key={o.id}>
              <td>{o.id}</td>
              <td>{o.version ?? '—'}</td>
              <td>{o.instances && o.instances.length > 0 ? o.instances.join(', ') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {attributes.length > 0 && (
        <>
          <h3>Additional attributes</h3>
          <dl>
            {attributes.map(([k, v]) => (
              <>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}
