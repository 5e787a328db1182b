// The PSK credential of the DTLS benchmark's client and server (a benchmark value, not a secret).

/** Identity and key both sides of `npm run bench -- dtls` use. */
export const BENCH_PSK = { identity: 'bench', key: Buffer.from('62656e63682d6b6579', 'hex') } as const;
