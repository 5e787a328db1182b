// One simulated LwM2M client of the server benchmark, speaking raw CoAP (RFC 7252 section 3 via
// our message codec, no endpoint stack) from its own (address, port): its own node:dgram socket,
// or one loopback address on a shared batched socket (bench/support/SimHub.ts), so the simulator
// costs little next to the server it measures. It registers (Core TS 6.2.1: CON POST /rd?ep=...), answers the
// server's Read of /3/0/0 and its Observe of /3303/0/5700 with piggybacked 2.05 ACKs, and sends
// confirmable notifications (RFC 7641 section 4.2) whose ACKs it waits for. One operation at a
// time per client; a lost datagram fails the operation after `TIMEOUT_MS` (no retransmission;
// one shared watchdog, not a timer per operation).
import { createSocket, type Socket } from 'node:dgram';
import { Code, MessageType, OptionNumber, type CoapOption } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { ipLookup } from '../support/ipLookup.js';
import type { SimHub } from '../support/SimHub.js';

const TIMEOUT_MS = 5_000;
const utf8 = new TextEncoder();
/** The Register payload of every simulated client (Core TS 6.2.1 example shape). */
const REGISTER_PAYLOAD = utf8.encode('</>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>,</4/0>,</3303/0>');
const READ_PAYLOAD = utf8.encode('bench device');
const TEMPERATURE = utf8.encode('22.5');
const TEXT_PLAIN = Uint8Array.of(0);
const LINK_FORMAT = Uint8Array.of(40);
const opt = (number: number, value: string | Uint8Array): CoapOption => ({
  number,
  value: typeof value === 'string' ? utf8.encode(value) : value,
});
/** RFC 7252 3.2: an unsigned integer option value in the fewest bytes. */
function uint(v: number): Uint8Array {
  if (v === 0) return new Uint8Array(0);
  if (v < 0x100) return Uint8Array.of(v);
  if (v < 0x10000) return Uint8Array.of(v >> 8, v & 0xff);
  return Uint8Array.of((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
}

/**
 * The server's Reads of /3/0/0 differ only in message ID and token: the options and payload after
 * the token (the request's tail) and the tail of the answer are kept from the first one answered,
 * so the rest are answered by copying bytes, with no decoding or encoding (a lean generator).
 */
let readRequestTail: Buffer | undefined;
let readAnswerTail: Uint8Array | undefined;

/** A confirmable 2.05 notification (RFC 7641 4.2): Observe `seq`, Content-Format 0, TEMPERATURE. */
export function notificationBytes(messageId: number, token: Uint8Array, seq: number): Buffer {
  const observe = uint(seq);
  const b = Buffer.allocUnsafe(4 + token.length + 1 + observe.length + 2 + 1 + TEMPERATURE.length);
  let at = 0;
  b[at++] = 0x40 | token.length; // version 1, CON, TKL
  b[at++] = Code.CONTENT;
  b[at++] = messageId >> 8;
  b[at++] = messageId & 0xff;
  b.set(token, at);
  at += token.length;
  b[at++] = (OptionNumber.OBSERVE << 4) | observe.length; // delta 6 from 0
  b.set(observe, at);
  at += observe.length;
  b[at++] = ((OptionNumber.CONTENT_FORMAT - OptionNumber.OBSERVE) << 4) | 1; // delta 6, one byte
  b[at++] = 0; // text/plain
  b[at++] = 0xff;
  b.set(TEMPERATURE, at);
  return b;
}

/** The last Location-Path segment of a 2.01 (the registration `{id}`). */
function locationId(b: Buffer): string | undefined {
  const last = decodeMessage(b)
    .options.filter((o) => o.number === OptionNumber.LOCATION_PATH)
    .pop();
  return last && Buffer.from(last.value).toString();
}

/** Where the server listens (on 127.0.0.1). */
export interface SimTargets {
  readonly serverPort: number;
}

/** Called once when an operation ends: with no error on its answer, else with why it failed. */
export type OperationDone = (error: Error | undefined) => void;

/** No operation under way (pendingId). */
const IDLE = -1;

/**
 * One watchdog for every client instead of a timer per operation (a timer costs more than the
 * rest of a notification on this side): clients with an operation under way are listed, and each
 * tick fails the operations older than TIMEOUT_MS. The list holds each client once.
 */
const WATCH_TICK_MS = 500;
let watchTick = 0;
const watched: SimulatedClient[] = [];
let watchdog: NodeJS.Timeout | undefined;

function watch(client: SimulatedClient): void {
  watched.push(client);
  watchdog ??= setInterval(() => {
    watchTick++;
    let kept = 0;
    for (const c of watched) if (c.expire(watchTick - TIMEOUT_MS / WATCH_TICK_MS)) watched[kept++] = c;
    watched.length = kept;
    if (kept === 0) {
      clearInterval(watchdog);
      watchdog = undefined;
    }
  }, WATCH_TICK_MS).unref();
}

/** How a client's datagrams leave: to 127.0.0.1:`port`, from the client's own (address, port). */
interface SimLink {
  send(bytes: Uint8Array, port: number): void;
  close(): void;
}

/** A simulated device: one (address, port), one endpoint name. */
export class SimulatedClient {
  /** Its own dgram socket, unless it is an address on a hub. */
  private readonly socket: Socket | undefined;
  private readonly link: SimLink;
  /** The operation under way, held in fields (no object per operation): its message ID, or IDLE. */
  private pendingId = IDLE;
  private pendingDone: OperationDone | undefined;
  /** The watchdog tick it started in. */
  private pendingTick = 0;
  private nextMessageId: number;
  /** Token and Observe sequence of the server's observation, once it observed us. */
  private observeToken: Uint8Array | undefined;
  private observeSeq = 1;
  /** The 2.01 of the last Register, decoded (for its Location-Path) only if we de-register. */
  private created: Buffer | undefined;
  /** Listed by the watchdog. */
  private isWatched = false;

  /**
   * With `on`, the client is `on.address` (host order, in 127.0.0.0/8) on the hub's port, and
   * needs no bind(); without, it has a dgram socket of its own to bind().
   */
  constructor(
    readonly endpoint: string,
    private readonly targets: SimTargets,
    index: number,
    on?: { readonly hub: SimHub; readonly address: number },
  ) {
    this.nextMessageId = (index * 7919) & 0xffff;
    if (on) {
      const { hub, address } = on;
      hub.attach(address, (datagram) => this.onDatagram(datagram));
      this.link = {
        send: (bytes, port) => hub.send(bytes, address, port),
        close: () => hub.detach(address),
      };
      return;
    }
    const socket = createSocket({ type: 'udp4', lookup: ipLookup });
    socket.on('message', (msg) => this.onDatagram(msg));
    socket.on('error', () => undefined); // send errors show up as timeouts
    this.socket = socket;
    this.link = {
      send: (bytes, port) => socket.send(bytes, port, '127.0.0.1'),
      close: () => socket.close(),
    };
  }

  /** Binds its own socket to `address`:`port` (0: any free port). */
  bind(address: string, port: number): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error(`${this.endpoint} is on a hub`));
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      socket.once('error', onError);
      socket.bind({ address, port, exclusive: true }, () => {
        socket.off('error', onError);
        resolve();
      });
    });
  }

  /** True once the server observed this client. */
  get observed(): boolean {
    return this.observeToken !== undefined;
  }

  /** Register (CON POST /rd?ep=...&lt=86400&lwm2m=1.1&b=U); resolves on the 2.01. */
  register(payload: Uint8Array = REGISTER_PAYLOAD, lifetimeS = 86_400): Promise<void> {
    const messageId = this.messageId();
    const options = [
      opt(OptionNumber.URI_PATH, 'rd'),
      opt(OptionNumber.CONTENT_FORMAT, LINK_FORMAT),
      opt(OptionNumber.URI_QUERY, `ep=${this.endpoint}`),
      opt(OptionNumber.URI_QUERY, `lt=${lifetimeS}`),
      opt(OptionNumber.URI_QUERY, 'lwm2m=1.1'),
      opt(OptionNumber.URI_QUERY, 'b=U'),
    ];
    const token = uint(messageId | 0x10000);
    return this.exchange(messageId, {
      type: MessageType.CON,
      code: Code.POST,
      messageId,
      token,
      options,
      payload,
    });
  }

  /** De-register (CON DELETE /rd/{id}, Core TS 6.2.3); resolves on the 2.02. */
  deregister(): Promise<void> {
    const location = this.created && locationId(this.created);
    if (location === undefined) return Promise.reject(new Error(`${this.endpoint} is not registered`));
    const messageId = this.messageId();
    const options = [opt(OptionNumber.URI_PATH, 'rd'), opt(OptionNumber.URI_PATH, location)];
    this.created = undefined;
    return this.exchange(messageId, {
      type: MessageType.CON,
      code: Code.DELETE,
      messageId,
      token: uint(messageId | 0x10000),
      options,
      payload: new Uint8Array(0),
    });
  }

  /** One confirmable notification (RFC 7641 4.2); resolves on its ACK, rejects on RST. */
  notify(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (!this.startNotify((e) => (e ? reject(e) : resolve())))
        reject(new Error(`${this.endpoint} is ${this.observeToken ? 'busy' : 'not observed'}`));
    });
  }

  /**
   * Sends one confirmable notification and calls `done` on its ACK (or failure), with no promise
   * or closure per notification: the lean path of the notification load (bench/support/
   * callbackLoad.ts), as lean as the ceiling's generator. False, and `done` is never called, when
   * this client is not observed or is busy.
   */
  startNotify(done: OperationDone): boolean {
    const token = this.observeToken;
    if (!token || this.pendingId !== IDLE) return false;
    const messageId = this.messageId();
    this.observeSeq = (this.observeSeq + 1) & 0xffffff;
    this.begin(messageId, done);
    this.link.send(notificationBytes(messageId, token, this.observeSeq), this.targets.serverPort);
    return true;
  }

  close(): void {
    this.settle(new Error('closed'));
    this.link.close();
  }

  private exchange(messageId: number, msg: Parameters<typeof encodeMessage>[0]): Promise<void> {
    const bytes = encodeMessage(msg);
    return this.await(messageId, () => this.link.send(bytes, this.targets.serverPort));
  }

  private await(messageId: number, send: () => void): Promise<void> {
    if (this.pendingId !== IDLE) return Promise.reject(new Error(`${this.endpoint} is busy`));
    return new Promise<void>((resolve, reject) => {
      this.begin(messageId, (e) => (e ? reject(e) : resolve()));
      send();
    });
  }

  private begin(messageId: number, done: OperationDone): void {
    this.pendingId = messageId;
    this.pendingDone = done;
    this.pendingTick = watchTick;
    if (!this.isWatched) {
      this.isWatched = true;
      watch(this);
    }
  }

  /** Watchdog: fails an operation started at or before `tick`; false once this client has none. */
  expire(tick: number): boolean {
    if (this.pendingId !== IDLE && this.pendingTick <= tick) this.settle(new Error('timeout'));
    if (this.pendingId === IDLE) this.isWatched = false;
    return this.isWatched;
  }

  /** Ends the operation under way, if any: `done` runs after the client is idle again. */
  private settle(error?: Error): void {
    const done = this.pendingDone;
    if (this.pendingId === IDLE || !done) return;
    this.pendingId = IDLE;
    this.pendingDone = undefined;
    done(error);
  }

  private messageId(): number {
    this.nextMessageId = (this.nextMessageId + 1) & 0xffff;
    return this.nextMessageId;
  }

  private onDatagram(b: Buffer): void {
    if (b.length < 4 || b[0]! >> 6 !== 1) return; // not CoAP
    const type = (b[0]! >> 4) & 3;
    const messageId = (b[2]! << 8) | b[3]!;
    if (type === MessageType.ACK || type === MessageType.RST) {
      if (this.pendingId !== messageId) return;
      const code = b[1]!;
      // dgram hands out a fresh Buffer per datagram, a hub a view of a fresh Buffer per batch
      if (code === Code.CREATED) this.created = b;
      // Register expects 2.01; a notification's ACK is empty; RST or an error code fails.
      this.settle(type === MessageType.RST || code >> 5 > 2 ? new Error(`answer ${code}`) : undefined);
      return;
    }
    if (type === MessageType.CON) this.answer(b);
  }

  /** Answers a server request with a piggybacked response (RFC 7252 5.2.1). */
  private answer(b: Buffer): void {
    const tkl = b[0]! & 0x0f;
    if (readAnswerTail && b[1] === Code.GET && readRequestTail!.equals(b.subarray(4 + tkl))) {
      const ack = Buffer.allocUnsafe(4 + tkl + readAnswerTail.length);
      ack[0] = 0x60 | tkl; // version 1, ACK, TKL
      ack[1] = Code.CONTENT;
      b.copy(ack, 2, 2, 4 + tkl); // message ID and token
      ack.set(readAnswerTail, 4 + tkl);
      this.link.send(ack, this.targets.serverPort);
      return;
    }
    const req = decodeMessage(b);
    const path = req.options
      .filter((o) => o.number === OptionNumber.URI_PATH)
      .map((o) => Buffer.from(o.value).toString())
      .join('/');
    const observe = req.options.find((o) => o.number === OptionNumber.OBSERVE);
    const options: CoapOption[] = [opt(OptionNumber.CONTENT_FORMAT, TEXT_PLAIN)];
    let code: number = Code.CONTENT;
    let payload = READ_PAYLOAD;
    if (req.code !== Code.GET) code = Code.METHOD_NOT_ALLOWED;
    else if (path === '3303/0/5700' && observe && observe.value.length === 0) {
      // Observe register (RFC 7641 3.1): keep the token for later notifications.
      this.observeToken = Uint8Array.from(req.token);
      options.push(opt(OptionNumber.OBSERVE, uint(this.observeSeq)));
      payload = TEMPERATURE;
    } else if (path !== '3/0/0') code = Code.NOT_FOUND;
    const ack = encodeMessage({
      type: MessageType.ACK,
      code,
      messageId: req.messageId,
      token: req.token,
      options: code === Code.CONTENT ? options : [],
      payload: code === Code.CONTENT ? payload : new Uint8Array(0),
    });
    if (path === '3/0/0' && code === Code.CONTENT && req.code === Code.GET && !observe) {
      readRequestTail = Buffer.from(b.subarray(4 + tkl));
      readAnswerTail = ack.slice(4 + tkl);
    }
    this.link.send(ack, this.targets.serverPort);
  }
}
