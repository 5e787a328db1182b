// UdpBindOptions.receiveBufferBytes (issue 17): the kernel receive buffer a server's socket asks
// for. A burst larger than the buffer is dropped by the kernel before the process sees it: the
// system default (net.core.rmem_default, 208 KiB on Linux) holds about 200 small CoAP datagrams,
// or 3 of 60 kB.
import type { DatagramTransport } from '../DatagramTransport.js';

/**
 * What servers ask for by default: 4 MiB, which holds about 4 000 small datagrams or 60 of 60 kB
 * (Linux grants it where net.core.rmem_max allows; kernel memory, used only while datagrams wait).
 */
export const DEFAULT_SERVER_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/** The receive buffers the kernel granted `transports`, summed (the `udpReceiveBuffer` limit's max); 0 for those that are no socket. */
export function grantedReceiveBufferBytes(transports: readonly DatagramTransport[]): number {
  return transports.reduce((n, t) => n + (t.receiveBuffer?.()?.bytes ?? 0), 0);
}

/** `bytes` checked as a receive buffer size: 0 when unset; a RangeError unless an integer 0..2^31-1. */
export function checkedReceiveBufferBytes(bytes: number | undefined): number {
  if (bytes === undefined) return 0;
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > 0x7fffffff)
    throw new RangeError(`receiveBufferBytes must be an integer from 0 to 2147483647, not ${bytes}`);
  return bytes;
}
