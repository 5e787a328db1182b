// LwM2M Core TS 1.1.1 sections 5.4 and 6.2.2 (issue 11 item 11): a request a server sends is
// answered before the Registration Update it causes (a Write of the lifetime or binding, a Create or
// Delete that changes the object list, the Registration Update Trigger). A server that sees the
// Update first still waits for its answer, and one that serialises exchanges per client would stall.
// The DM handler serves the synchronous part of a request inside capture(); whatever reaction is
// deferred meanwhile runs from the answer's afterSend hook, once the answer (a success or an error
// the handler renders) has been handed to CoAP.

/** The reactions deferred while one request was served, and how to release them. */
export interface Captured<T> {
  /** What serving answered (a synchronous throw becomes a rejection). */
  readonly result: Promise<T>;
  /** The deferred reactions, to run as the answer's afterSend hook; undefined when there are none. */
  afterSend(): (() => void) | undefined;
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
  capture<T>(serve: () => Promise<T>): Captured<T> {
    const outer = this.open;
    const queued: (() => void)[] = [];
    this.open = queued;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      for (const reaction of queued) reaction();
    };
    let result: Promise<T>;
    try {
      result = serve();
    } catch (e) {
      result = Promise.reject(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.open = outer;
    }
    return { result, afterSend: () => (queued.length === 0 ? undefined : release) };
  }
}
