// Waits for a condition in tests that run on real sockets and real time (interop peers, child
// processes), where no ManualClock can stand in. The deadline only turns a hang into a failure
// that names what was awaited; nothing is asserted about how long it took.

/** Default deadline of waitUntil: generous, since a loaded CI machine may be slow. */
export const WAIT_UNTIL_DEFAULT_MS = 10_000;

/** Polls `condition` every `everyMs` until it holds; rejects naming `what` once `ms` have passed. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = WAIT_UNTIL_DEFAULT_MS,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
