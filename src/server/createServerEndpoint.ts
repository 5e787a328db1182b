// RFC 7252 / Transport TS 1.1.1 section 5: the CoAP endpoint of one server transport, serving
// the routes given. Block-wise transfer (RFC 7959) comes with every CoapEndpoint by default.
import { CoapEndpoint, type CoapEndpointOptions } from '../coap/CoapEndpoint.js';
import { Router, type RequestHandler } from '../coap/Router.js';
import type { DatagramTransport } from '../transport/DatagramTransport.js';
import type { Lwm2mServerConfig } from './Lwm2mServerOptions.js';

/** A CoAP endpoint on `transport` serving `routes` (Uri-Path prefix → handler). */
export function createServerEndpoint(
  transport: DatagramTransport,
  config: Lwm2mServerConfig,
  routes: Readonly<Record<string, RequestHandler>>,
  hooks: Partial<Pick<CoapEndpointOptions, 'onLimit' | 'onUnmatchedResponse'>> & {
    /** Block-wise context of a request (source, registered, body limit); see BlockwiseResponder. */
    readonly block1Context?: NonNullable<Exclude<CoapEndpointOptions['blockwise'], false>['block1Context']>;
  } = {},
): CoapEndpoint {
  const router = new Router();
  for (const [prefix, handler] of Object.entries(routes)) router.use(prefix, handler);
  const { blockwise } = config.coap;
  return new CoapEndpoint(transport, {
    ...config.coap,
    ...(hooks.onLimit ? { onLimit: hooks.onLimit } : {}),
    ...(hooks.onUnmatchedResponse ? { onUnmatchedResponse: hooks.onUnmatchedResponse } : {}),
    ...(blockwise !== false && hooks.block1Context
      ? { blockwise: { ...blockwise, block1Context: hooks.block1Context } }
      : {}),
    clock: config.clock,
    random: config.random,
    router,
  });
}
