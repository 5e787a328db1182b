// The login form: an API key of the server opens a session (cookie); the key is not kept by the page.
import { useSignal } from '@preact/signals';
import { ApiError, login } from './api.js';

export function LoginPage() {
  const key = useSignal('');
  const error = useSignal('');
  const busy = useSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    busy.value = true;
    error.value = '';
    try {
      await login(key.value.trim());
      key.value = '';
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
    } finally {
      busy.value = false;
    }
  };
  return (
    <main class="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">LwM2M server</h1>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="apiKey"
          type="password"
          autocomplete="current-password"
          required
          autofocus
          value={key.value}
          onInput={(e) => (key.value = e.currentTarget.value)}
        />
        <button type="submit" disabled={busy.value}>
          Log in
        </button>
        {error.value && (
          <p role="alert" class="error">
            {error.value}
          </p>
        )}
        <p class="hint">A key from the server's --api-keys-file or LWM2M_API_KEYS.</p>
      </form>
    </main>
  );
}
