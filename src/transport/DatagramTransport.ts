// The interface under CoAP for datagram transports (UDP, DTLS, SMS): bytes in, bytes out, a Peer.
import type { Peer } from './Peer.js';

/** Receives each datagram with the peer it came from. */
export type DatagramHandler = (bytes: Uint8Array, peer: Peer) => void;

/** A UDP socket's kernel receive buffer: where datagrams wait until the process reads them. */
export interface ReceiveBufferStatus {
  /**
   * Its size as the kernel reports it (SO_RCVBUF; Linux counts its bookkeeping in it and reports
   * twice the size asked for, the request capped at net.core.rmem_max).
   */
  readonly bytes: number;
  /**
   * Datagrams the kernel dropped because the buffer was full, since the socket opened; undefined
   * where the socket cannot tell (node:dgram). A drop shows once the next datagram is read.
   */
  readonly drops: number | undefined;
}

/**
 * The settled promise a transport's `send` may return when the datagram was queued at once and
 * can no longer fail in a way the caller would act on: callers compare against it and skip
 * attaching handlers (a `.catch` on a settled promise still allocates a promise and a microtask
 * per datagram, on the hottest path of a server).
 */
export const DATAGRAM_QUEUED: Promise<void> = Promise.resolve();

/** A bound datagram transport. CoAP sends requests and responses from the same one. */
export interface DatagramTransport {
  /**
   * Sends one datagram; resolves when handed to the OS (or the secured session). A rejection is
   * usually a lost datagram (a retransmission may get through); one that `isFinalSendFailure`
   * is not: the peer refused us, and callers stop retransmitting to it. DATAGRAM_QUEUED when the
   * datagram was queued synchronously.
   */
  send(peer: Peer, bytes: Uint8Array): Promise<void>;
  /** Sets the handler for incoming datagrams (one handler; a later call replaces it). */
  onDatagram(handler: DatagramHandler): void;
  /** Local address and port the transport is bound to. */
  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' };
  /** Largest datagram payload this transport carries (e.g. 1152 bytes for CoAP over UDP). */
  readonly maxDatagramSize: number;
  /** Whether the transport is reliable (then CoAP skips its message layer; TCP later). */
  readonly reliable: boolean;
  /** Closes the socket; pending sends fail. */
  close(): Promise<void>;
  /** The kernel socket's receive buffer (undefined, or no such method, where there is none). */
  receiveBuffer?(): ReceiveBufferStatus | undefined;
  /**
   * Sets the listener told how many datagrams the kernel dropped for a full receive buffer, each
   * time the socket learns of new drops (one listener; a later call replaces it). Only sockets that
   * can tell have it.
   */
  onReceiveDrops?(listener: (dropped: number) => void): void;
}

/** An error a send rejects with when no retransmission can succeed (e.g. the peer refused the handshake). */
export interface FinalSendFailure {
  readonly finalSendFailure: boolean;
}

/** True when `error` says the send failed for good (FinalSendFailure). */
export function isFinalSendFailure(error: unknown): boolean {
  return (error as Partial<FinalSendFailure> | null)?.finalSendFailure === true;
}
