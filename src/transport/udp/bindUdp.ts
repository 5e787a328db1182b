// The plain UDP socket a server or bootstrap server listens on: the batched one (native/udp.c,
// NativeUdpTransport) when it is built and loads, else node:dgram (UdpTransport). Same
// behaviour and bytes either way; the batched one costs fewer system calls per datagram.
import type { DatagramTransport } from '../DatagramTransport.js';
import { NativeUdpTransport } from './NativeUdpTransport.js';
import { UdpTransport, type UdpBindOptions } from './UdpTransport.js';

/** Which socket implementation: 'auto' (default) the batched one when available, else dgram. */
export type UdpSocketKind = 'auto' | 'batched' | 'dgram';

/** Binds the UDP socket of `kind`; 'batched' rejects when the addon is unavailable (and says why). */
export function bindUdp(options: UdpBindOptions, kind: UdpSocketKind = 'auto'): Promise<DatagramTransport> {
  if (kind === 'dgram' || (kind === 'auto' && NativeUdpTransport.unavailable() !== undefined))
    return UdpTransport.bind(options);
  return NativeUdpTransport.bind(options);
}
