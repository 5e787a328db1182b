// The registered clients (issue 16 item 2). Work in progress: first page only.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import { href } from '../router.js';
import type { ClientPage } from '../types.js';

export function ClientsPage() {
  const page = useSignal<ClientPage | undefined>(undefined);
  const error = useSignal<string | undefined>(undefined);
  useEffect(() => {
    api<ClientPage>('GET', '/clients', { query: { limit: 50 } })
      .then((p) => (page.value = p))
      .catch((e: unknown) => (error.value = e instanceof ApiError ? e.message : String(e)));
  }, []);
  return (
    <main>
      <h1>Clients {page.value && <span class="count">{page.value.total}</span>}</h1>
      <ErrorText error={error.value} />
      <table class="clients">
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col">Binding</th>
            <th scope="col">Address</th>
            <th scope="col">Last update</th>
          </tr>
        </thead>
        <tbody>
          {page.value?.items.map((c) => (
            <tr key={c.endpoint}>
              <td>
                <a href={href('clients', c.endpoint)}>{c.endpoint}</a>
              </td>
              <td>{c.binding}</td>
              <td>
                {c.address}:{c.port}
              </td>
              <td>{c.lastUpdate}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
