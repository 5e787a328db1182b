// Benchmark peer: a raw node:dgram echo server, the ceiling the CoAP figures are compared with.
// Prints "READY <port>" once bound.
import { createSocket } from 'node:dgram';

const socket = createSocket('udp4');
socket.on('message', (msg, rinfo) => socket.send(msg, rinfo.port, rinfo.address));
socket.bind(0, '127.0.0.1', () => console.log(`READY ${socket.address().port}`));
process.on('SIGTERM', () => socket.close(() => process.exit(0)));
