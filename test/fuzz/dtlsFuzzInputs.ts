// How many inputs each DTLS parser fuzzer runs: DTLS_FUZZ_INPUTS, default 1 000 000 per parser
// (issue 13). .ci/run keeps the default on the main Node version and runs a smaller count on the
// extra versions, where the same parsers run again with another seed: the point there is that
// the engine runs on that Node, not another million-input search.

/** Inputs per DTLS parser per run. */
export const DTLS_FUZZ_INPUTS = Number(process.env.DTLS_FUZZ_INPUTS ?? 1_000_000);
if (!Number.isSafeInteger(DTLS_FUZZ_INPUTS) || DTLS_FUZZ_INPUTS < 1000)
  throw new Error(`DTLS_FUZZ_INPUTS must be an integer >= 1000, got ${process.env.DTLS_FUZZ_INPUTS}`);
