// RFC 7252 / Transport TS 1.1.1 section 5: the CoAP endpoint of one server transport, serving
// the routes given. Block-wise transfer (RFC 7959) comes with every CoapEndpoint by default.
import { CoapEndpoint } from '../coap/CoapEndpoint.js';
import { Router, type RequestHandler } from '../coap/Router.js';
import type { DatagramTransport } from '../transport/DatagramTransport.js';
import type { Lwm2mServerConfig } from './Lwm2mServerOptions.js';

/** A CoAP endpoint on `transport` serving `routes` (Uri-Path prefix → handler). */
export function createServerEndpoint(
  transport: DatagramTransport,
  config: Lwm2mServerConfig,
  routes: Readonly<Record<string, RequestHandler>>,
): CoapEndpoint {
  const router = new Router();
  for (const [prefix, handler] of Object.entries(routes)) router.use(prefix, handler);
  return new CoapEndpoint(transport, { ...config.coap, clock: config.clock, random: config.random, router });
}
