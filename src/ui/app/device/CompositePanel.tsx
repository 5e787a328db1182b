// Device page panel (issue 16 item 3). Work in progress.
import type { RegistrationJson } from '../types.js';

export function CompositePanel(_props: { readonly registration: RegistrationJson }) {
  return null;
}
