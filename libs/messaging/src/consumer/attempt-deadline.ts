/**
 * The deadline of one attempt (the handler's timeoutMs). The AbortSignal behind `ctx.signal` is
 * made only if a handler asks for it or the attempt times out: most attempts never need one.
 */
export class AttemptDeadline {
  private expiredFlag = false;
  private controller?: AbortController;

  get expired(): boolean {
    return this.expiredFlag;
  }

  /** Aborted once the attempt timed out. */
  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.expiredFlag) this.controller.abort();
    return this.controller.signal;
  }

  expire(): void {
    this.expiredFlag = true;
    this.controller?.abort();
  }
}
