// Issue 16 item 3: the seam where the message log (CoapMessageLog.ts) sees the CoAP datagrams of a
// server transport (after DTLS decryption, before encryption). While nothing is watched the
// incoming path is the transport's own (the endpoint's handler is installed as is) and a send pays
// one boolean check; once something is watched, both directions go through the log.
import type { DatagramHandler, DatagramTransport } from '../transport/DatagramTransport.js';
import type { CoapMessageLog } from './CoapMessageLog.js';

/** `inner` with its datagrams shown to `log` while it is active. */
export function tapTransport(inner: DatagramTransport, log: CoapMessageLog): DatagramTransport {
  let handler: DatagramHandler | undefined;
  const install = (): void => {
    const h = handler;
    if (!h) return;
    inner.onDatagram(
      log.active
        ? (bytes, peer) => {
            log.record('in', peer.key, bytes);
            h(bytes, peer);
          }
        : h,
    );
  };
  log.onActiveChange(install);
  return {
    send(peer, bytes) {
      if (log.active) log.record('out', peer.key, bytes);
      return inner.send(peer, bytes);
    },
    onDatagram(h) {
      handler = h;
      install();
    },
    address: () => inner.address(),
    get maxDatagramSize() {
      return inner.maxDatagramSize;
    },
    get reliable() {
      return inner.reliable;
    },
    close: () => inner.close(),
    ...(inner.receiveBuffer ? { receiveBuffer: () => inner.receiveBuffer?.() } : {}),
    ...(inner.onReceiveDrops
      ? { onReceiveDrops: (l: (dropped: number) => void) => inner.onReceiveDrops?.(l) }
      : {}),
  };
}
