// Package entry: re-exports every public layer.
export * from './coap/index.js';
export * from './model/index.js';
export * from './lwm2m/index.js';
export * from './content/index.js';
export * from './binding/index.js';
