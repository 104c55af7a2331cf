/**
 * A loop's sleep that can be cut short: wait(ms) resolves after ms, or at once on wake(). A
 * wake() while the loop is busy is kept, so the next wait() returns at once (nothing is missed).
 */
export class Pause {
  private wakeUp?: () => void;
  private timer?: NodeJS.Timeout;
  private woken = false;

  wait(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wakeUp = () => {
        this.wakeUp = undefined;
        if (this.timer) clearTimeout(this.timer);
        resolve();
      };
      this.timer = setTimeout(() => this.wakeUp?.(), ms);
    });
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }
}
