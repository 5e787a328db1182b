// LwM2M Core TS 1.1.1 section 6.5 (Queue Mode), client side: the radio of a sleeping client is
// off. A DatagramTransport decorator under the client's CoapEndpoint drops every datagram from a
// server the client sleeps for (so no request is processed or answered, and coap/ needs no
// change) and reports each datagram exchanged with a server, which restarts the awake time.
import type { DatagramHandler, DatagramTransport } from '../transport/DatagramTransport.js';
import type { Peer } from '../transport/Peer.js';
import { peerOfUri } from './coapRegistrationPort.js';
import type { RegistrationEngine } from './RegistrationEngine.js';

/** What the decorator asks the client about a peer. */
export interface QueueModeGate {
  /** True when the client sleeps for this peer (its datagrams are dropped). */
  isAsleep(peer: Peer): boolean;
  /** A datagram went to, or came from, this peer (ignored while asleep). */
  exchanged(peer: Peer): void;
}

/** A DatagramTransport that drops incoming datagrams from peers the client sleeps for. */
export class QueueModeTransport implements DatagramTransport {
  /** Datagrams dropped while asleep (for diagnostics and tests). */
  dropped = 0;

  constructor(
    private readonly inner: DatagramTransport,
    private readonly gate: QueueModeGate,
  ) {}

  get maxDatagramSize(): number {
    return this.inner.maxDatagramSize;
  }

  get reliable(): boolean {
    return this.inner.reliable;
  }

  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    this.gate.exchanged(peer);
    return this.inner.send(peer, bytes);
  }

  onDatagram(handler: DatagramHandler): void {
    this.inner.onDatagram((bytes, peer) => {
      if (this.gate.isAsleep(peer)) {
        this.dropped++;
        return;
      }
      this.gate.exchanged(peer);
      handler(bytes, peer);
    });
  }

  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return this.inner.address();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The gate of a client: peers are matched to registrations by their Server URI. */
export function registrationGate(engine: () => RegistrationEngine | undefined): QueueModeGate {
  const keys = new Map<string, string>(); // Server URI → peer key, looked up for each datagram
  const ssidOf = (peer: Peer): number | undefined => {
    for (const a of engine()?.accounts() ?? []) {
      let key = keys.get(a.uri);
      if (key === undefined) {
        try {
          key = peerOfUri(a.uri).key;
        } catch {
          continue;
        }
        keys.set(a.uri, key);
      }
      if (key === peer.key) return a.ssid;
    }
    return undefined;
  };
  return {
    isAsleep(peer) {
      const ssid = ssidOf(peer);
      return ssid !== undefined && (engine()?.isAsleep(ssid) ?? false);
    },
    exchanged(peer) {
      const ssid = ssidOf(peer);
      if (ssid !== undefined) engine()?.exchanged(ssid);
    },
  };
}
