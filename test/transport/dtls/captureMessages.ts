// Handshake messages of the golden captures (epoch 0 only: epoch 1 needs keys), by type, for the
// codec tests and the fuzzer's corpus.
import {
  decodeHandshakeFragments,
  type HandshakeFragment,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import { A2_CLIENT_CID_LENGTH, A2_SERVER_CID_LENGTH, bytesOf, CAPTURE_A1, CAPTURE_A2 } from './captures.js';

/** Contents of every plaintext handshake record of both captures. */
export const handshakeRecordContents: readonly Uint8Array[] = [...CAPTURE_A1, ...CAPTURE_A2].flatMap((d) =>
  decodeDatagram(bytesOf(d), {
    cidLength: CAPTURE_A2.includes(d)
      ? d.from === 'client'
        ? A2_SERVER_CID_LENGTH
        : A2_CLIENT_CID_LENGTH
      : 0,
  })
    .filter((r) => r.type === ContentType.handshake && r.epoch === 0)
    .map((r) => r.fragment),
);

/** Every plaintext handshake message of both captures. */
export const handshakeMessages: readonly HandshakeFragment[] = handshakeRecordContents.flatMap((c) =>
  decodeHandshakeFragments(c),
);

/** Bodies of the captured messages of type `msgType`. */
export const bodiesOf = (msgType: number): Uint8Array[] =>
  handshakeMessages.filter((m) => m.msgType === msgType).map((m) => m.body);
