// Hash routes (#/clients, #/clients/<endpoint>, #/security, #/bootstrap, #/events): links work
// without any server-side route, and the back button moves between pages.
import { signal } from '@preact/signals';

/** The current route: its path segments (decoded) and query. */
export interface Route {
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

function parse(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { segments, query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

export const route = signal<Route>(parse(location.hash));
addEventListener('hashchange', () => {
  route.value = parse(location.hash);
});

/** The href of a route from its segments (each encoded). */
export function href(...segments: readonly (string | number)[]): string {
  return `#/${segments.map((s) => encodeURIComponent(String(s))).join('/')}`;
}

/** Goes to a route. */
export function navigate(...segments: readonly (string | number)[]): void {
  location.hash = href(...segments);
}
