// Package entry: re-exports every public layer.
export * from './coap/index.js';
export * from './model/index.js';
export * from './lwm2m/index.js';
export * from './content/index.js';
export * from './binding/index.js';
export * from './store/index.js';
export * from './server/index.js';
export * from './bootstrap/index.js';
export * from './client/index.js';
export * from './transport/dtls/index.js';
// Both roles have a Send service; at the root the server's keeps the plain names.
export { SendService, type SendOptions } from './server/index.js';
export { SendService as ClientSendService, type SendOptions as ClientSendOptions } from './client/index.js';
