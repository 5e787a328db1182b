// The start-up log's word on the plain CoAP port's socket: the batched one (native/udp.c) that
// servers bind when it is built, or node:dgram and why (issue 17: an operator sees which runs).
import { NativeUdpTransport } from '../transport/udp/NativeUdpTransport.js';

/** 'batched (recvmmsg/sendmmsg)', or 'node:dgram (<why the batched socket is unavailable>)'. */
export function udpSocketText(): string {
  const why = NativeUdpTransport.unavailable();
  return why === undefined ? 'batched (recvmmsg/sendmmsg)' : `node:dgram (${why})`;
}
