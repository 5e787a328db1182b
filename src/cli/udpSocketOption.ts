// `--udp-socket auto|batched|dgram`, `--udp-receive-buffer <bytes>` and `--no-udp-send-thread` of
// `lwm2m server` and `lwm2m bootstrap` (issue 17): which UDP socket serves the CoAP ports
// (src/transport/udp/bindUdp.ts), the kernel receive buffer it asks for and whether it sends on a
// thread of its own, and the start-up log's word on them, so an operator sees which socket runs
// and why, and whether the kernel granted the buffer.
import { InvalidArgumentError, type Command } from 'commander';
import type { ReceiveBufferStatus } from '../transport/DatagramTransport.js';
import type { Logger } from './logger.js';
import type { UdpSocketKind } from '../transport/udp/bindUdp.js';
import { NativeUdpTransport } from '../transport/udp/NativeUdpTransport.js';
import { DEFAULT_SERVER_RECEIVE_BUFFER_BYTES } from '../transport/udp/receiveBufferBytes.js';

const KINDS: readonly UdpSocketKind[] = ['auto', 'batched', 'dgram'];

/** The parsed flag (absent: 'auto'). */
export interface UdpSocketCliOptions {
  readonly udpSocket?: UdpSocketKind;
  /** --udp-receive-buffer (absent: the library default, 4 MiB). */
  readonly udpReceiveBuffer?: number;
  /** false with --no-udp-send-thread (absent or true: the library default, a send thread). */
  readonly udpSendThread?: boolean;
}

function udpSocketOption(value: string): UdpSocketKind {
  if (!(KINDS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${KINDS.join(', ')}`);
  return value as UdpSocketKind;
}

function receiveBufferOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > 0x7fffffff)
    throw new InvalidArgumentError('must be a number of bytes from 0 to 2147483647');
  return n;
}

/** Adds --udp-socket, --udp-receive-buffer and --no-udp-send-thread to `cmd`. */
export function withUdpSocketOption(cmd: Command): Command {
  return cmd
    .option(
      '--udp-socket <kind>',
      `UDP socket of the CoAP ports: ${KINDS.join(', ')} (auto: batched recvmmsg/sendmmsg where built, else node:dgram)`,
      udpSocketOption,
    )
    .option(
      '--udp-receive-buffer <bytes>',
      `kernel receive buffer of each CoAP port (default ${DEFAULT_SERVER_RECEIVE_BUFFER_BYTES}; 0: the system's)`,
      receiveBufferOption,
    )
    .option(
      '--no-udp-send-thread',
      'the batched socket sends on the event loop instead of a thread of its own',
    );
}

/**
 * The start-up log's word on a socket's receive buffer: what was granted, and a hint when the
 * kernel capped the request (Linux grants twice the request, capped at net.core.rmem_max first).
 */
export function receiveBufferText(
  granted: number | undefined,
  asked: number = DEFAULT_SERVER_RECEIVE_BUFFER_BYTES,
  platform: string = process.platform,
): { text: string; capped: boolean } {
  if (granted === undefined) return { text: 'not a kernel socket', capped: false };
  const kib = (n: number): string => `${Math.round(n / 1024)} KiB`;
  if (asked === 0) return { text: `${kib(granted)} (the system's)`, capped: false };
  const expected = platform === 'linux' ? 2 * asked : asked;
  if (granted >= expected) return { text: kib(granted), capped: false };
  return {
    text:
      `${kib(granted)}, less than the ${kib(asked)} asked for: bursts beyond it are dropped; ` +
      (platform === 'linux'
        ? `raise net.core.rmem_max (sysctl -w net.core.rmem_max=${asked})`
        : 'raise the system limit on socket buffers'),
    capped: true,
  };
}

/**
 * 'batched (recvmmsg/sendmmsg, sending on a thread)', or 'node:dgram (<why>)', for the socket
 * `kind` gives (with `sendThread`, the servers' default).
 */
export function udpSocketText(kind: UdpSocketKind = 'auto', sendThread = true): string {
  if (kind === 'dgram') return 'node:dgram (--udp-socket dgram)';
  const why = NativeUdpTransport.unavailable();
  if (why !== undefined) return `node:dgram (${why})`;
  return sendThread ? 'batched (recvmmsg/sendmmsg, sending on a thread)' : 'batched (recvmmsg/sendmmsg)';
}

/**
 * The start-up log's word on the receive buffer of the first socket in `buffers`; a warning first
 * when the kernel capped any of them.
 */
export function receiveBufferLog(
  log: Logger,
  buffers: readonly (ReceiveBufferStatus | undefined)[],
  asked: number | undefined,
): string | undefined {
  const texts = buffers.map((b) => receiveBufferText(b?.bytes, asked));
  const capped = texts.find((t) => t.capped);
  if (capped) log.warn({ receiveBuffer: capped.text }, 'UDP receive buffer capped by the kernel');
  return texts[0]?.text;
}
