/** A sleep that ends early when wake() is called; a wake with nobody waiting is kept for the next wait. */
export class WakeSignal {
  private pending?: () => void;
  private woken = false;

  wake(): void {
    this.woken = true;
    this.pending?.();
  }

  wait(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.pending = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.pending = done;
    });
  }
}
