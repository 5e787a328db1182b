// A node:test `test` for files whose tests run on a ManualClock and an in-memory network. There a
// test whose promise never settles leaves the event loop empty, and node:test then cancels it and
// every test after it ("Promise resolution is still pending but the event loop has already
// resolved"), so one bug showed up as a dozen cancelled tests. Here each test keeps the event
// loop alive while it runs and has its own time limit: a stuck test fails alone, by name.
import { afterEach, beforeEach, test as nodeTest, type TestContext, type TestOptions } from 'node:test';

/** Time limit of each isolated test; twenty times what the slowest of them takes on a loaded machine. */
export const ISOLATED_TEST_TIMEOUT_MS = 5_000;

let keepAlive: ReturnType<typeof setInterval> | undefined;
beforeEach(() => {
  keepAlive = setInterval(() => undefined, 60_000);
});
afterEach(() => {
  clearInterval(keepAlive);
  keepAlive = undefined;
});

type TestFn = (t: TestContext) => void | Promise<void>;

/** `test(name, [options,] fn)` with the per-test time limit (unless options set one) and the event loop kept alive. */
export function test(name: string, fn: TestFn): Promise<void>;
export function test(name: string, options: TestOptions, fn: TestFn): Promise<void>;
export function test(name: string, a: TestFn | TestOptions, b?: TestFn): Promise<void> {
  const [options, fn] = typeof a === 'function' ? [{}, a] : [a, b!];
  return nodeTest(name, { timeout: ISOLATED_TEST_TIMEOUT_MS, ...options }, fn);
}
