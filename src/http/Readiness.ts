// Whether this process should be sent traffic (issue 12 item 12, the Kubernetes readiness
// convention): ready once started, not ready from the moment it starts draining on SIGTERM.
/** The readiness state behind GET /readyz. */
export class Readiness {
  private draining = false;

  /** True once draining has started: /readyz answers 503 from then on. */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Marks the process as shutting down. */
  startDraining(): void {
    this.draining = true;
  }
}
