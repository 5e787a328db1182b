// Public API of the CoAP layer.
export * from './CoapMessage.js';
export * from './Clock.js';
export { DecodeError } from '../transport/DecodeError.js';
export type { Peer, PeerIdentity } from '../transport/Peer.js';
export { makePeer } from '../transport/Peer.js';
export type { DatagramTransport, DatagramHandler } from '../transport/DatagramTransport.js';
