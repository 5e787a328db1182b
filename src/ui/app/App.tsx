// The shell: session check, login gate, navigation, theme switch, and the page of the route.
import { useEffect } from 'preact/hooks';
import { logout, loadSession, session } from './api.js';
import { LoginPage } from './LoginPage.js';
import { route, href } from './router.js';
import { theme, toggleTheme } from './theme.js';
import { ClientsPage } from './pages/ClientsPage.js';
import { DevicePage } from './pages/DevicePage.js';
import { SecurityPage } from './pages/SecurityPage.js';
import { BootstrapPage } from './pages/BootstrapPage.js';
import { EventsPage } from './pages/EventsPage.js';

const PAGES = [
  { path: 'clients', label: 'Clients', feature: 'server' },
  { path: 'security', label: 'Security', feature: 'security' },
  { path: 'bootstrap', label: 'Bootstrap', feature: 'bootstrap' },
  { path: 'events', label: 'Events', feature: 'server' },
] as const;

function Page() {
  const s = session.value!;
  const [first, second] = route.value.segments;
  const start = s.features.server ? 'clients' : 'bootstrap';
  switch (first ?? start) {
    case 'clients':
      return second === undefined ? <ClientsPage /> : <DevicePage endpoint={second} />;
    case 'security':
      return <SecurityPage />;
    case 'bootstrap':
      return <BootstrapPage />;
    case 'events':
      return <EventsPage />;
    default:
      return (
        <main>
          <h1>Not found</h1>
          <p>
            No page {first}. <a href={href(start)}>Back</a>
          </p>
        </main>
      );
  }
}

export function App() {
  useEffect(() => {
    void loadSession().catch(() => undefined);
  }, []);
  const s = session.value;
  if (s === undefined) return <p class="loading">Loading…</p>;
  if (!s.authenticated) return <LoginPage />;
  const current = route.value.segments[0] ?? (s.features.server ? 'clients' : 'bootstrap');
  return (
    <>
      <header class="top">
        <nav aria-label="Pages">
          <span class="brand">LwM2M</span>
          {PAGES.filter((p) => s.features[p.feature]).map((p) => (
            <a href={href(p.path)} aria-current={current === p.path ? 'page' : undefined}>
              {p.label}
            </a>
          ))}
        </nav>
        <div class="tools">
          <button type="button" onClick={toggleTheme} aria-label="Switch light or dark theme">
            {theme.value === 'dark' ? 'Light' : 'Dark'}
          </button>
          {s.loginRequired && (
            <button type="button" onClick={() => void logout()}>
              Log out
            </button>
          )}
        </div>
      </header>
      <Page />
    </>
  );
}
