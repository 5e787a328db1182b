// The ServerPort of a real Lwm2mServer: the REST API's view of the server role (issue 4 item 7).
// REST-started observations are kept by endpoint + kind + paths so DELETE .../observe finds them;
// they are forgotten when the registration ends. Those a previous run stored (no handle here) are
// listed from the server's store and cancelled through it (passively, RFC 7641 3.6).
import type { Lwm2mServer } from '../server/Lwm2mServer.js';
import type { Observation } from '../server/Observation.js';
import { objectVersions, type Registration } from '../lwm2m/Registration.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { tokenKey } from '../store/ObservationStore.js';
import type { ObservationTarget, ServerEvent, ServerPort } from './ServerPort.js';

const observationKey = (
  endpoint: string,
  kind: ObservationTarget['kind'],
  paths: readonly Lwm2mPath[],
): string => `${endpoint}|${kind}|${paths.map(String).join(',')}`;

/** Adapts `server` to the REST API's ServerPort. */
export function lwm2mServerPort(server: Lwm2mServer): ServerPort {
  const observations = new Map<string, Observation>();
  const forget = (endpoint: string): void => {
    for (const key of observations.keys()) if (key.startsWith(`${endpoint}|`)) observations.delete(key);
  };
  const registrationEnded = ({ registration }: { registration: Registration }): void =>
    forget(registration.endpoint);
  const replaced = ({ previous }: { previous?: Registration }): void => {
    if (previous) forget(previous.endpoint);
  };
  server.on('deregistered', registrationEnded);
  server.on('expired', registrationEnded);
  server.on('registered', replaced);

  return {
    pageRegistrations: (query) => server.config.store.page(query),
    isAwake: (registration) => server.isAwake(registration),
    getRegistration: (endpoint) => server.getRegistration(endpoint),
    send: (endpoint, request, options) => server.send(endpoint, request, options),
    async startObservation(endpoint, request, options = {}) {
      const single = request.kind === 'observe';
      const handle = single
        ? // the REST API takes notifications from the server's event: the handle keeps none
          server.observe(endpoint, request.path, { ...options, format: request.format, buffer: 0 })
        : server.observeComposite(endpoint, request.paths, {
            ...options,
            buffer: 0,
            format: request.format,
            requestFormat: request.requestFormat,
          });
      const response = await handle.response;
      if (!response.ok || !handle.record) return { response };
      const key = observationKey(
        endpoint,
        single ? 'single' : 'composite',
        single ? [request.path] : request.paths,
      );
      const previous = observations.get(key);
      observations.set(key, handle);
      if (previous && previous !== handle) await previous.cancel();
      return { id: tokenKey(handle.record.token), response };
    },
    async cancelObservation(endpoint, target, options = {}) {
      const key = observationKey(endpoint, target.kind, target.paths);
      const handle = observations.get(key);
      if (!handle) return server.cancelRestoredObservations(endpoint, target);
      observations.delete(key);
      // The relation ends locally at once; an active cancel to a sleeping Queue Mode client waits in
      // its queue (Core TS 6.5) for as long as the queue allows, so the HTTP answer does not wait for it.
      void handle.cancel({ active: options.active === true });
      return 1;
    },
    async listObservations(endpoint) {
      const stored = await server.observationsOf(endpoint);
      return stored?.map(({ record, restored }) => ({
        id: tokenKey(record.token),
        kind: record.kind,
        paths: record.paths,
        ...(record.contentFormat === undefined ? {} : { contentFormat: record.contentFormat }),
        createdAt: record.createdAt,
        restored,
      }));
    },
    models: server.config.models,
    modelsFor: (registration) => server.config.models.forVersions(objectVersions(registration)),
    subscribe(listener: (event: ServerEvent) => void) {
      const lifecycle = (
        type: 'registered' | 'updated' | 'deregistered' | 'expired' | 'sleeping' | 'awake',
      ) => {
        const handler = ({ registration }: { registration: Registration }): void =>
          listener({ type, endpoint: registration.endpoint, registration });
        server.on(type, handler);
        return () => void server.off(type, handler);
      };
      const offs = (['registered', 'updated', 'deregistered', 'expired', 'sleeping', 'awake'] as const).map(
        lifecycle,
      );
      const onNotification: Parameters<typeof server.on<'notification'>>[1] = (e) =>
        listener({
          type: 'notification',
          endpoint: e.registration.endpoint,
          observationId: tokenKey(e.observation.token),
          kind: e.observation.kind,
          paths: e.observation.paths,
          notification: e.notification,
        });
      const onSend: Parameters<typeof server.on<'send'>>[1] = (e) =>
        listener({ type: 'send', endpoint: e.registration.endpoint, data: e.data, format: e.format });
      const onQueuedDone: Parameters<typeof server.on<'queuedRequestDone'>>[1] = ({ record }) =>
        listener({ type: 'queuedRequestDone', endpoint: record.endpoint, record });
      server.on('notification', onNotification);
      server.on('send', onSend);
      server.on('queuedRequestDone', onQueuedDone);
      const offMessages = server.messageLog.onEntry((endpoint, entry) =>
        listener({ type: 'coapMessage', endpoint, entry }),
      );
      return () => {
        for (const off of offs) off();
        offMessages();
        server.off('notification', onNotification);
        server.off('send', onSend);
        server.off('queuedRequestDone', onQueuedDone);
      };
    },
    now: () => server.config.wallClock.now(),
    queuedRequests: (endpoint, limit) => server.queuedRequests(endpoint, limit),
    queuedRequest: (id) => server.config.queuedRequestStore.get(id),
    cancelQueuedRequest: (id) => server.cancelQueuedRequest(id),
    async watchMessages(endpoint) {
      const reg = await server.getRegistration(endpoint);
      if (!reg) return { status: 'unknown endpoint' };
      const watch = server.messageLog.watch(endpoint, reg.peer.key);
      const { entriesPerEndpoint, maxWatched } = server.messageLog.settings;
      return watch
        ? { status: 'watching', expiresInMs: watch.expiresInMs, entriesPerEndpoint }
        : { status: 'too many watches', maxWatched };
    },
    unwatchMessages: (endpoint) => server.messageLog.unwatch(endpoint),
    messages: (endpoint) => server.messageLog.entries(endpoint),
    clearMessages: (endpoint) => server.messageLog.clear(endpoint),
    messageLogStats: () => server.messageLog.stats(),
  };
}
