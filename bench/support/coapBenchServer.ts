// Benchmark peer: one of our CoAP endpoints on 127.0.0.1 answering GET /bench with 2.05 and a
// small payload. Prints "READY <port>" once bound.
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';

const payload = new TextEncoder().encode('22.5');
const transport = await UdpTransport.bind({ address: '127.0.0.1', port: 0 });
const endpoint = new CoapEndpoint(transport);
endpoint.router.use('/bench', () => ({ code: Code.CONTENT, contentFormat: 0, payload }));
console.log(`READY ${endpoint.address().port}`);
process.on('SIGTERM', () => void endpoint.close().then(() => process.exit(0)));
