// Closes a test's fixture when the test ends, passed or failed, so a failing assertion never
// leaves a socket or timer behind to keep the test process alive.
import { after } from 'node:test';

/** Something a test must close. */
export interface Closable {
  close(): Promise<void> | void;
}

/**
 * Closes `resource` once the test that called this ends, whatever its outcome. Call it from a
 * test body (inside a `before` hook it would close at the end of the hook: close such shared
 * fixtures in the suite's own `after`). `close()` must tolerate being called twice, since tests
 * may also close explicitly.
 */
export function closeAfter<T extends Closable>(resource: T): T {
  after(() => resource.close());
  return resource;
}
