// A simulated LwM2M client of the server benchmark's secured phase (issue 17 item 4): the same raw
// CoAP as SimulatedClient.ts (Register, piggybacked 2.05 answers to the server's Reads of
// /3/0/0), but over our DtlsTransport in client role with its own PSK (securedPsk.ts), so the
// server reads it through its DTLS port. Like the plain clients it is compared with, it is one
// loopback address on a shared batched socket (HubTransport.ts on SimHub.ts: 4 096 clients a
// socket), or, without the addon or with BENCH_SIM_SOCKETS=dgram, a node:dgram socket of its own.
// The handshake happens on the first send (the Register) and is not timed by the benchmark.
import { Code, MessageType, OptionNumber } from '../../src/coap/CoapMessage.js';
import { encodeMessage } from '../../src/coap/messageCodec.js';
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import { makePeer, type Peer } from '../../src/transport/Peer.js';
import { formatIpv4 } from '../../src/transport/udp/ipAddress.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { HubTransport } from '../support/HubTransport.js';
import { SimHub } from '../support/SimHub.js';
import { securedEndpoint, securedPsk } from './securedPsk.js';

/** Time for a Register, its handshake included. */
const REGISTER_TIMEOUT_MS = 15_000;
const utf8 = new TextEncoder();
const REGISTER_PAYLOAD = utf8.encode('</>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>,</4/0>,</3303/0>');
/** After the token of a 2.05: Content-Format 0 (option 12, one byte), the payload marker, the payload. */
const READ_ANSWER_TAIL = Uint8Array.from([0xc1, 0x00, 0xff, ...utf8.encode('bench device')]);

/** Source address of secured client `i` (host order): 127.2.0.0/16, apart from the plain clients' 127.1.0.0/20. */
const sourceAddress = (i: number): number => 0x7f020000 + (i & 0xffff);
/** Clients per shared socket, as for the plain clients. */
const PER_HUB = 4096;
/** The shared sockets of the secured clients, by client index / PER_HUB, and their open clients. */
const hubs: (SimHub | undefined)[] = [];
const hubUsers: number[] = [];

/** One DTLS PSK client: its socket, its session with the server's DTLS port, its endpoint name. */
export class SecuredClient {
  private pending: { messageId: number; resolve: () => void; reject: (e: Error) => void } | undefined;
  private nextMessageId: number;
  private closed = false;

  private constructor(
    readonly endpoint: string,
    private readonly dtls: DtlsTransport,
    private readonly server: Peer,
    index: number,
    /** The shared socket this client is on (-1: a socket of its own). */
    private readonly hub: number,
  ) {
    this.nextMessageId = (index * 7919) & 0xffff;
    dtls.onDatagram((bytes) => this.onDatagram(bytes));
  }

  /** Opens secured client `index` towards the server's DTLS port. */
  static async open(index: number, securePort: number): Promise<SecuredClient> {
    let udp: HubTransport | UdpTransport;
    let hub = -1;
    if (SimHub.unavailable() === undefined) {
      hub = Math.floor(index / PER_HUB);
      udp = new HubTransport((hubs[hub] ??= SimHub.open(0)), sourceAddress(index), securePort);
      hubUsers[hub] = (hubUsers[hub] ?? 0) + 1;
    } else udp = await UdpTransport.bind({ address: formatIpv4(sourceAddress(index)), port: 0 });
    const dtls = new DtlsTransport(udp, { role: 'client', psk: securedPsk(index) });
    return new SecuredClient(securedEndpoint(index), dtls, makePeer('127.0.0.1', securePort), index, hub);
  }

  /** Register (Core TS 6.2.1: CON POST /rd?ep=…&lt=86400&lwm2m=1.1&b=U); resolves on the 2.01. */
  register(): Promise<void> {
    this.nextMessageId = (this.nextMessageId + 1) & 0xffff;
    const messageId = this.nextMessageId;
    const query = [`ep=${this.endpoint}`, 'lt=86400', 'lwm2m=1.1', 'b=U'];
    const bytes = encodeMessage({
      type: MessageType.CON,
      code: Code.POST,
      messageId,
      token: Uint8Array.of(messageId >> 8, messageId & 0xff),
      options: [
        { number: OptionNumber.URI_PATH, value: utf8.encode('rd') },
        { number: OptionNumber.CONTENT_FORMAT, value: Uint8Array.of(40) },
        ...query.map((q) => ({ number: OptionNumber.URI_QUERY, value: utf8.encode(q) })),
      ],
      payload: REGISTER_PAYLOAD,
    });
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => settle(new Error(`${this.endpoint}: no 2.01`)), REGISTER_TIMEOUT_MS);
      const settle = (e?: Error): void => {
        clearTimeout(timer);
        this.pending = undefined;
        if (e) reject(e);
        else resolve();
      };
      this.pending = { messageId, resolve: () => settle(), reject: settle };
      this.dtls
        .send(this.server, bytes)
        .catch((e: unknown) => settle(e instanceof Error ? e : new Error(String(e))));
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pending?.reject(new Error('closed'));
    await this.dtls.close();
    // the last client of a shared socket closes it (an open one would keep the process alive)
    if (this.hub >= 0 && --hubUsers[this.hub]! === 0) {
      hubs[this.hub]?.close();
      hubs[this.hub] = undefined;
    }
  }

  private onDatagram(b: Uint8Array): void {
    if (b.length < 4 || b[0]! >> 6 !== 1) return;
    const type = (b[0]! >> 4) & 3;
    const tkl = b[0]! & 0x0f;
    if (type === MessageType.ACK || type === MessageType.RST) {
      const p = this.pending;
      if (p?.messageId !== ((b[2]! << 8) | b[3]!)) return;
      if (type === MessageType.ACK && b[1] === Code.CREATED) p.resolve();
      else p.reject(new Error(`${this.endpoint}: answer ${b[1]}`));
      return;
    }
    // A server Read (CON GET /3/0/0, the only request this phase makes): a piggybacked 2.05.
    if (type !== MessageType.CON || b[1] !== Code.GET) return;
    const ack = new Uint8Array(4 + tkl + READ_ANSWER_TAIL.length);
    ack[0] = 0x60 | tkl; // version 1, ACK, TKL
    ack[1] = Code.CONTENT;
    ack.set(b.subarray(2, 4 + tkl), 2); // message ID and token
    ack.set(READ_ANSWER_TAIL, 4 + tkl);
    void this.dtls.send(this.server, ack).catch(() => undefined); // a lost answer shows as a read timeout
  }
}
