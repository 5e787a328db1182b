// LwM2M Core TS 1.1.1 Appendix E.2: a Server (object 1) instance: registration settings of one
// LwM2M Server, with its executable resources Disable (4), Registration Update Trigger (8) and
// Bootstrap-Request Trigger (9) wired to the client's handlers.
import { SERVER_1_1 } from '../../model/core/server.js';
import type { ObjectModel } from '../../model/ObjectModel.js';
import { declareInstance, type DeclaredInstance, type PlainResource } from '../declareInstance.js';

/** What executing a Server resource does (the client supplies these). */
export interface ServerActions {
  disable?(ssid: number): void;
  updateTrigger?(ssid: number): void;
  bootstrapTrigger?(ssid: number): void;
}

/** Settings of one Server instance. */
export interface ServerInstanceOptions {
  readonly id: number;
  readonly ssid: number;
  /** Registration lifetime, seconds (default 86400). */
  readonly lifetime?: number;
  /** Binding (default "U"). */
  readonly binding?: string;
  /** Notification Storing When Disabled or Offline (default true). */
  readonly storeNotifications?: boolean;
  readonly defaultPmin?: number;
  readonly defaultPmax?: number;
  readonly disableTimeoutS?: number;
  /** Resources 17-20 (1.1): communication retry settings. */
  readonly retryCount?: number;
  readonly retryTimerS?: number;
  readonly sequenceDelayS?: number;
  readonly sequenceRetryCount?: number;
  /** Resources 13-16 (1.1, Core TS 6.2.1.1): registration order, its delay, blocking, fallback. */
  readonly registrationPriorityOrder?: number;
  readonly initialRegistrationDelayS?: number;
  readonly registrationFailureBlock?: boolean;
  readonly bootstrapOnRegistrationFailure?: boolean;
  readonly model?: ObjectModel;
}

/** A Server instance whose executables call `actions`. */
export function serverInstance(o: ServerInstanceOptions, actions: ServerActions = {}): DeclaredInstance {
  const values: Record<number, PlainResource> = {
    0: o.ssid,
    1: o.lifetime ?? 86_400,
    6: o.storeNotifications ?? true,
    7: o.binding ?? 'U',
  };
  const optional: [number, number | undefined][] = [
    [2, o.defaultPmin],
    [3, o.defaultPmax],
    [5, o.disableTimeoutS],
    [17, o.retryCount],
    [18, o.retryTimerS],
    [19, o.sequenceDelayS],
    [20, o.sequenceRetryCount],
  ];
  for (const [id, v] of optional) if (v !== undefined) values[id] = v;
  if (o.registrationPriorityOrder !== undefined) values[13] = o.registrationPriorityOrder;
  if (o.initialRegistrationDelayS !== undefined) values[14] = o.initialRegistrationDelayS;
  if (o.registrationFailureBlock !== undefined) values[15] = o.registrationFailureBlock;
  if (o.bootstrapOnRegistrationFailure !== undefined) values[16] = o.bootstrapOnRegistrationFailure;
  return declareInstance(o.model ?? SERVER_1_1, o.id, values, {
    execute: {
      4: () => actions.disable?.(o.ssid),
      8: () => actions.updateTrigger?.(o.ssid),
      9: () => actions.bootstrapTrigger?.(o.ssid),
    },
  });
}

/** An empty Server instance (a Bootstrap-Server fills it) whose executables call `actions` with
 * the Short Server ID it holds when run. */
export function emptyServerInstance(
  model: ObjectModel,
  id: number,
  actions: ServerActions,
): DeclaredInstance {
  let inst: DeclaredInstance | undefined = undefined;
  const ssid = (): number => {
    const r = inst?.read(0);
    return r?.kind === 'resource' ? Number(r.value.value) : 0;
  };
  inst = declareInstance(
    model,
    id,
    {},
    {
      execute: {
        4: () => actions.disable?.(ssid()),
        8: () => actions.updateTrigger?.(ssid()),
        9: () => actions.bootstrapTrigger?.(ssid()),
      },
    },
  );
  return inst;
}
