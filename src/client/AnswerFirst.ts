// LwM2M Core TS 1.1.1 sections 5.4 and 6.2.2 (issue 11 item 11): a request a server sends is
// answered before the Registration Update it causes (a Write of the lifetime or binding, a Create or
// Delete that changes the object list, the Registration Update Trigger). A server that sees the
// Update first still waits for its answer, and one that serialises exchanges per client would stall.
// The DM handler serves the synchronous part of a request inside capture(); whatever reaction is
// deferred meanwhile runs once the answer has been handed to CoAP.
//
// Why setImmediate: CoapEndpoint sends the answer in the continuation of the handler's promise,
// a chain of microtasks, so a macrotask queued when the handler returns runs after that send.

/** The reactions deferred while one request was served, and how to release them. */
export interface Captured<T> {
  readonly result: T;
  /** Call as the handler returns its answer: the deferred reactions run right after it is sent. */
  answered(): void;
}

/** Orders reactions to a request after its answer. One per client; not reentrant across clients. */
export class AnswerFirst {
  private open: (() => void)[] | undefined;

  /** Runs `reaction` now, or after the answer when called while a request is being served. */
  defer(reaction: () => void): void {
    if (this.open) this.open.push(reaction);
    else reaction();
  }

  /** Runs `serve` (the synchronous part of serving one request), collecting the reactions it defers. */
  capture<T>(serve: () => T): Captured<T> {
    const outer = this.open;
    const queued: (() => void)[] = [];
    this.open = queued;
    let released = false;
    const answered = (): void => {
      if (released || queued.length === 0) return;
      released = true;
      setImmediate(() => {
        for (const reaction of queued) reaction();
      });
    };
    try {
      return { result: serve(), answered };
    } catch (e) {
      answered(); // the endpoint answers the error: what was deferred still runs
      throw e;
    } finally {
      this.open = outer;
    }
  }
}
