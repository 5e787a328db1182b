// RFC 7252 section 5.2 / RFC 7641 section 4.2: turns a handler's OutgoingResponse into the
// response message (token echoed; Content-Format and Observe options added). Type and message ID
// are left for the message layer.
import { MessageType, OptionNumber, type CoapMessage, type CoapOption } from './CoapMessage.js';
import { encodeUint } from './options.js';
import type { OutgoingResponse } from './Router.js';

const EMPTY = new Uint8Array(0);
const byNumber = (a: CoapOption, b: CoapOption): number => a.number - b.number;

/** The response message for `token`; `observe` (24-bit sequence) adds an Observe option. */
export function responseMessage(
  token: Uint8Array,
  response: OutgoingResponse,
  observe?: number,
): CoapMessage {
  const extra = response.options;
  let options: CoapOption[];
  if (response.contentFormat === undefined && observe === undefined) options = extra ? [...extra] : [];
  else {
    const cf = response.contentFormat !== undefined;
    const obs = observe !== undefined;
    options = [];
    if (extra)
      for (const o of extra)
        if (!(cf && o.number === OptionNumber.CONTENT_FORMAT) && !(obs && o.number === OptionNumber.OBSERVE))
          options.push(o);
    if (observe !== undefined)
      options.push({ number: OptionNumber.OBSERVE, value: encodeUint(observe & 0xffffff) });
    if (response.contentFormat !== undefined)
      options.push({ number: OptionNumber.CONTENT_FORMAT, value: encodeUint(response.contentFormat) });
    // Usually already in order (no extra options): then no sort. Stable: repeats keep their order.
    if (extra?.length) options.sort(byNumber);
  }
  return {
    type: MessageType.ACK,
    code: response.code,
    messageId: 0,
    token,
    options,
    payload: response.payload ?? EMPTY,
  };
}
