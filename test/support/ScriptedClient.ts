// A scripted LwM2M client at the CoAP byte level for server tests (STYLE.md 15): it sends
// Register/Update/De-register/Send as raw CoAP messages from a RawCoapPeer and answers the
// server's requests with payloads the test gives (e.g. the specification's TLV bytes).
import {
  Code,
  MessageType,
  OptionNumber,
  type CoapMessage,
  type CoapOption,
} from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { encodeUint, getLocationPath, uriPathOptions, uriQueryOptions } from '../../src/coap/options.js';
import { RawCoapPeer } from './RawCoapPeer.js';

/** Where the server listens. */
export interface Target {
  readonly address: string;
  readonly port: number;
}

let nextMid = 0x1000;

/** A raw CoAP request message (CON, 2-byte token). */
export function requestMessage(
  code: number,
  path: string,
  query: string[] = [],
  payload: Uint8Array | string = new Uint8Array(0),
  extra: CoapOption[] = [],
): CoapMessage {
  const body = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  const mid = nextMid++ & 0xffff;
  const options = [...uriPathOptions(path), ...uriQueryOptions(query), ...extra].sort(
    (a, b) => a.number - b.number,
  );
  return {
    type: MessageType.CON,
    code,
    messageId: mid,
    token: Uint8Array.of(mid >> 8, mid & 0xff),
    options,
    payload: body,
  };
}

/** A Content-Format option. */
export const contentFormat = (n: number): CoapOption => ({
  number: OptionNumber.CONTENT_FORMAT,
  value: encodeUint(n),
});

/** A raw LwM2M client. */
export class ScriptedClient {
  /** Messages received while waiting for something else, oldest first. */
  private readonly backlog: CoapMessage[] = [];

  private constructor(
    readonly peer: RawCoapPeer,
    readonly server: Target,
  ) {}

  /** Opens a UDP socket on 127.0.0.1. */
  static async open(server: Target): Promise<ScriptedClient> {
    return new ScriptedClient(await RawCoapPeer.open('127.0.0.1'), server);
  }

  /** Sends `msg` and returns the decoded response (the piggybacked ACK). */
  async exchange(msg: CoapMessage): Promise<CoapMessage> {
    await this.peer.send(encodeMessage(msg), this.server);
    for (;;) {
      const reply = decodeMessage((await this.peer.next()).bytes);
      if (reply.messageId === msg.messageId && reply.type === MessageType.ACK) return reply;
      this.backlog.push(reply);
    }
  }

  /** POST /rd with `query` and a link-format payload; returns the response and the location id. */
  async register(query: string[], links = '</1/0>,</3/0>'): Promise<{ res: CoapMessage; id?: string }> {
    const res = await this.exchange(requestMessage(Code.POST, '/rd', query, links, [contentFormat(40)]));
    const location = getLocationPath(res);
    return { res, id: location[0] === 'rd' ? location[1] : undefined };
  }

  /** POST /rd/{id}. */
  update(id: string, query: string[] = [], links?: string): Promise<CoapMessage> {
    return this.exchange(
      requestMessage(Code.POST, `/rd/${id}`, query, links ?? '', links ? [contentFormat(40)] : []),
    );
  }

  /** DELETE /rd/{id}. */
  deregister(id: string): Promise<CoapMessage> {
    return this.exchange(requestMessage(Code.DELETE, `/rd/${id}`));
  }

  /** The next request the server sends. */
  async nextRequest(timeoutMs = 2_000): Promise<CoapMessage> {
    for (;;) {
      const msg = this.backlog.shift() ?? decodeMessage((await this.peer.next(timeoutMs)).bytes);
      if (msg.code > 0 && msg.code < 0x20) return msg;
    }
  }

  /** Answers `req` with a piggybacked response. */
  respond(
    req: CoapMessage,
    code: number,
    payload: Uint8Array | string = new Uint8Array(0),
    options: CoapOption[] = [],
  ): Promise<void> {
    const body = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
    const msg: CoapMessage = {
      type: MessageType.ACK,
      code,
      messageId: req.messageId,
      token: req.token,
      options: [...options].sort((a, b) => a.number - b.number),
      payload: body,
    };
    return this.peer.send(encodeMessage(msg), this.server);
  }

  /** Sends a notification (CON) for the observation with `token`; returns its message ID. */
  async notify(
    token: Uint8Array,
    seq: number,
    payload: Uint8Array | string,
    format: number,
  ): Promise<number> {
    const body = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
    const mid = nextMid++ & 0xffff;
    const options = [{ number: OptionNumber.OBSERVE, value: encodeUint(seq) }, contentFormat(format)];
    await this.peer.send(
      encodeMessage({
        type: MessageType.NON,
        code: Code.CONTENT,
        messageId: mid,
        token,
        options,
        payload: body,
      }),
      this.server,
    );
    return mid;
  }

  close(): Promise<void> {
    return this.peer.close();
  }
}
