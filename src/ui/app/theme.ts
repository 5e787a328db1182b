// Light or dark: the system's choice until the user picks one, kept in localStorage.
import { signal } from '@preact/signals';

type Theme = 'light' | 'dark';
const KEY = 'lwm2m-theme';

function initial(): Theme {
  const kept = localStorage.getItem(KEY);
  if (kept === 'light' || kept === 'dark') return kept;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const theme = signal<Theme>(initial());

function apply(t: Theme): void {
  document.documentElement.dataset.theme = t;
}
apply(theme.value);

/** Switches between light and dark and remembers the choice. */
export function toggleTheme(): void {
  theme.value = theme.value === 'dark' ? 'light' : 'dark';
  localStorage.setItem(KEY, theme.value);
  apply(theme.value);
}
