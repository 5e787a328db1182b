// `--udp-socket auto|batched|dgram` of `lwm2m server` and `lwm2m bootstrap` (issue 17): which
// UDP socket serves the CoAP ports (src/transport/udp/bindUdp.ts), and the start-up log's word on
// it, so an operator sees which one runs and why.
import { InvalidArgumentError, type Command } from 'commander';
import type { UdpSocketKind } from '../transport/udp/bindUdp.js';
import { NativeUdpTransport } from '../transport/udp/NativeUdpTransport.js';

const KINDS: readonly UdpSocketKind[] = ['auto', 'batched', 'dgram'];

/** The parsed flag (absent: 'auto'). */
export interface UdpSocketCliOptions {
  readonly udpSocket?: UdpSocketKind;
}

function udpSocketOption(value: string): UdpSocketKind {
  if (!(KINDS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${KINDS.join(', ')}`);
  return value as UdpSocketKind;
}

/** Adds --udp-socket to `cmd`. */
export function withUdpSocketOption(cmd: Command): Command {
  return cmd.option(
    '--udp-socket <kind>',
    `UDP socket of the CoAP ports: ${KINDS.join(', ')} (auto: batched recvmmsg/sendmmsg where built, else node:dgram)`,
    udpSocketOption,
  );
}

/** 'batched (recvmmsg/sendmmsg)', or 'node:dgram (<why>)', for the socket `kind` gives. */
export function udpSocketText(kind: UdpSocketKind = 'auto'): string {
  if (kind === 'dgram') return 'node:dgram (--udp-socket dgram)';
  const why = NativeUdpTransport.unavailable();
  return why === undefined ? 'batched (recvmmsg/sendmmsg)' : `node:dgram (${why})`;
}
