// Whether the batched UDP socket (native/udp.c) is here: it is built on install, and CI builds it
// with --strict, so its tests skip loudly without it, or fail under REQUIRE_PEERS=1.
import { NativeUdpTransport } from '../../src/transport/udp/NativeUdpTransport.js';

/** The skip message when the addon is missing; undefined when it loads. */
export const NATIVE_UDP_MISSING: string | undefined =
  NativeUdpTransport.unavailable() === undefined
    ? undefined
    : `NATIVE UDP MISSING: ${NativeUdpTransport.unavailable()} (node scripts/build-native.mjs builds it); batched-socket test skipped`;
