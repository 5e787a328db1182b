// The REST API as the page calls it: same origin, JSON both ways, the session cookie sent by the
// browser (credentials: 'same-origin'). Errors carry the API's {error, message, coapCode?}.
import { signal } from '@preact/signals';

/** What GET /ui/session answers. */
export interface UiSession {
  readonly loginRequired: boolean;
  readonly authenticated: boolean;
  readonly features: {
    readonly server: boolean;
    readonly bootstrap: boolean;
    readonly security: boolean;
    /** Path of the credentials routes under the API prefix. */
    readonly securityPath: string;
  };
  readonly apiPrefix: string;
}

/** The session, once known; set back to unauthenticated when the API answers 401. */
export const session = signal<UiSession | undefined>(undefined);

/** A refused or failed API call. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly coapCode?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Query parameters; undefined and '' values are left out. */
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** `path` under the API prefix with `query`. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `${session.value?.apiPrefix ?? '/api'}${path}${qs ? `?${qs}` : ''}`;
}

async function failure(res: Response): Promise<ApiError> {
  let body: { error?: string; message?: string; coapCode?: string } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: keep the status text
  }
  if (res.status === 401 && session.value) session.value = { ...session.value, authenticated: false };
  return new ApiError(
    res.status,
    body.error ?? res.statusText,
    body.message ?? res.statusText,
    body.coapCode,
  );
}

/** Calls the API; resolves with the parsed JSON body (undefined for 204), rejects with ApiError. */
export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: {
    readonly query?: Query;
    readonly body?: unknown;
    readonly text?: string;
    /** Content type of `text` (default text/plain), e.g. application/xml for a DDF upload. */
    readonly contentType?: string;
    readonly signal?: AbortSignal;
    /** Called with the headers of a successful answer (e.g. x-total-count). */
    readonly onHeaders?: (headers: Headers) => void;
  } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (options.text !== undefined) {
    headers['content-type'] = options.contentType ?? 'text/plain';
    body = options.text;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(apiUrl(path, options.query), {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!res.ok) throw await failure(res);
  options.onHeaders?.(res.headers);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

/** Loads the session (GET /ui/session). */
export async function loadSession(): Promise<UiSession> {
  const res = await fetch('/ui/session', { credentials: 'same-origin' });
  if (!res.ok) throw await failure(res);
  const s = (await res.json()) as UiSession;
  session.value = s;
  return s;
}

/** Logs in with an API key (POST /ui/login); the browser keeps the session cookie. */
export async function login(apiKey: string): Promise<void> {
  const res = await fetch('/ui/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ apiKey }),
  });
  if (!res.ok) throw await failure(res);
  await loadSession();
}

/** Ends the session (POST /ui/logout). */
export async function logout(): Promise<void> {
  await fetch('/ui/logout', { method: 'POST', credentials: 'same-origin' });
  await loadSession();
}
