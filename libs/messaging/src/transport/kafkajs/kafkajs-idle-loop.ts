/**
 * kafkajs 2.2.4 (its latest release) keeps a 1 ms timer loop going on every broker connection
 * while nothing is waiting to be sent: `RequestQueue.scheduleCheckPendingRequests` computes its
 * delay from `throttledUntil` (-1 when never throttled), so the delay is negative, the check runs
 * at once and re-arms itself (src/network/requestQueue/index.js; tulios/kafkajs#1556 and #1704,
 * open). An idle Troupe service woke its event loop about 1,700 times a second for it (strace:
 * epoll_pwait) and used 4.5% of a core doing nothing.
 *
 * For that version this replaces the method with the same one minus the loop: with nothing
 * pending and no throttle in effect there is nothing to check later. A request that has to wait
 * is checked as before: when it is queued (pending, so a check is armed), when one in flight is
 * answered or times out (kafkajs checks the queue then), and at the end of a throttle.
 */
const PATCHED_VERSION = '2.2.4';
const CHECK_PENDING_REQUESTS_INTERVAL = 10; // kafkajs' own constant (same file)

interface RequestQueueState {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
}

let outcome: 'patched' | 'left' | undefined;

/** Patches kafkajs' RequestQueue once per process; 'left' when the installed kafkajs is not the version this is for. */
export function patchKafkajsIdleLoop(): 'patched' | 'left' {
  if (outcome) return outcome;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== PATCHED_VERSION) return (outcome = 'left');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: { scheduleCheckPendingRequests(this: RequestQueueState): void } };
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueState) {
    if (this.throttleCheckTimeoutId) return;
    const untilUnthrottled = this.throttledUntil - Date.now();
    if (this.pending.length === 0 && untilUnthrottled <= 0) return; // nothing to check later
    const delay = this.pending.length > 0 && untilUnthrottled <= 0 ? CHECK_PENDING_REQUESTS_INTERVAL : untilUnthrottled;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, delay);
  };
  return (outcome = 'patched');
}
