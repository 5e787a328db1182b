// The web UI on the command line: `--no-ui` leaves it out; otherwise the REST API's fastify serves
// it (src/ui/serveUi.ts) and accepts the sessions of its logins (src/http/uiSessions.ts).
import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import type { ApiAccessOptions } from '../http/apiGuard.js';
import { UiSessions } from '../http/uiSessions.js';
import { serveUi, type UiFeatures } from '../http/uiRoutes.js';

/** Parsed UI flag (commander turns --no-ui into ui: false). */
export interface WebUiCliOptions {
  readonly ui?: boolean;
}

/** Adds --no-ui to `cmd`. */
export function withWebUiOption(cmd: Command): Command {
  return cmd.option('--no-ui', 'do not serve the web UI at / of the REST API');
}

/** `access` with the UI's sessions, when the UI is served. */
export function withUiSessions(o: WebUiCliOptions, access: ApiAccessOptions): ApiAccessOptions {
  return o.ui === false ? access : { ...access, sessions: new UiSessions() };
}

/** Mounts the UI on `http` (before it listens) unless --no-ui. */
export function mountWebUi(
  o: WebUiCliOptions,
  http: FastifyInstance,
  access: ApiAccessOptions,
  features: UiFeatures,
): void {
  if (o.ui === false || access.sessions === undefined) return;
  serveUi(http, {
    ...(access.apiKeyHashes ? { apiKeyHashes: access.apiKeyHashes } : {}),
    sessions: access.sessions,
    features,
  });
}
