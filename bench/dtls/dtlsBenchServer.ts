// Benchmark peer: one of our CoAP endpoints over a DtlsTransport server (PSK identity "bench") on
// 127.0.0.1, answering GET /bench with 2.05 and a small payload, and recording its event-loop
// delay. Prints "READY <port>" once bound; on SIGUSR2 prints
// "STATS <event-loop lag p99 ms> <connections> <handshakes completed> <handshakes failed>" and
// starts a new lag histogram.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { BENCH_PSK } from './benchPsk.js';

const payload = new TextEncoder().encode('22.5');
const dtls = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }), {
  role: 'server',
  pskFor: (identity) => (identity === BENCH_PSK.identity ? BENCH_PSK.key : undefined),
  maxHandshakes: 4096,
});
const endpoint = new CoapEndpoint(dtls);
endpoint.router.use('/bench', () => ({ code: Code.CONTENT, contentFormat: 0, payload }));
let lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
process.on('SIGUSR2', () => {
  const p99 = lag.percentile(99) / 1e6;
  const s = dtls.stats;
  console.log(
    `STATS ${p99.toFixed(2)} ${dtls.connectionCount} ${s.handshakesCompleted} ${s.handshakesFailed}`,
  );
  lag.disable();
  lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
});
console.log(`READY ${endpoint.address().port}`);
process.on('SIGTERM', () => void endpoint.close().then(() => process.exit(0)));
