// Transport TS 1.1.1 section 5 and RFC 7252 section 6.2: the sockets a server serves on, plain
// CoAP (default UDP 5683, or the `transports` given) and, with the `dtls` option, CoAP over DTLS
// on a socket of its own (default 5684) whose PSKs and known raw public keys come from the
// server's SecurityStore (our certificate and the clients' trust anchors: the `dtls` option).
import { dtlsCredentialsOf } from '../store/dtlsCredentials.js';
import type { DatagramTransport } from '../transport/DatagramTransport.js';
import { bindDtlsServer } from '../transport/dtls/bindDtlsServer.js';
import type { DtlsTransport } from '../transport/dtls/DtlsTransport.js';
import { bindUdp } from '../transport/udp/bindUdp.js';
import type { Lwm2mServerConfig } from './Lwm2mServerOptions.js';

/** Default UDP port of CoAP over DTLS (RFC 7252 section 6.2, Transport TS 1.1.1 section 5.1). */
export const DEFAULT_COAPS_PORT = 5684;

/** The transports of `config`, the DTLS one (if any) last; nothing stays bound when one fails. */
export async function bindServerTransports(
  config: Lwm2mServerConfig,
): Promise<{ transports: DatagramTransport[]; dtls?: DtlsTransport }> {
  const { dtls, security } = config;
  if (dtls && !security)
    throw new TypeError(
      'the dtls option needs security.store: the PSKs and raw public keys of handshakes come from it',
    );
  const plain = config.transports
    ? [...config.transports]
    : [
        await bindUdp(
          {
            address: config.address,
            port: config.port,
            receiveBufferBytes: config.udpReceiveBufferBytes,
            sendThread: config.udpSendThread,
          },
          config.udpSocket,
        ),
      ];
  if (!dtls || !security) return { transports: plain };
  try {
    const secured = await bindDtlsServer(
      dtls,
      {
        address: config.address,
        port: DEFAULT_COAPS_PORT,
        clock: config.clock,
        udpSocket: config.udpSocket,
        receiveBufferBytes: config.udpReceiveBufferBytes,
        sendThread: config.udpSendThread,
      },
      dtlsCredentialsOf(security.store),
    );
    return { transports: [...plain, secured], dtls: secured };
  } catch (e) {
    if (!config.transports) await Promise.all(plain.map((t) => t.close()));
    throw e;
  }
}
