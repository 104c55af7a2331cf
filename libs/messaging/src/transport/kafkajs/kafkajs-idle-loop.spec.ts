import { patchKafkajsIdleLoop } from './kafkajs-idle-loop';

interface Queue {
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  maybeThrottle(ms: number): void;
}

// kafkajs' RequestQueue itself (no broker needed): the class every broker connection uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => Queue;
const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const queue = () => new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'b:1', logger });
const disarm = (q: Queue) => {
  if (q.throttleCheckTimeoutId) clearTimeout(q.throttleCheckTimeoutId);
  q.throttleCheckTimeoutId = null;
};

describe('kafkajs idle loop patch', () => {
  it("finds kafkajs' own queue re-arming a check with nothing pending (the loop the patch removes; if this fails, kafkajs fixed it and the patch can go)", () => {
    const q = queue();
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    disarm(q);
  });

  it('after the patch, arms no check with nothing pending and no throttle, and still does when a request waits or a throttle is on', () => {
    expect(patchKafkajsIdleLoop()).toBe('patched');
    expect(patchKafkajsIdleLoop()).toBe('patched'); // once per process

    const idle = queue();
    idle.checkPendingRequests();
    expect(idle.throttleCheckTimeoutId).toBeNull();

    const waiting = queue();
    waiting.pending.push({}); // a request that could not be sent at once (checkPendingRequests would send it)
    (waiting as unknown as { scheduleCheckPendingRequests(): void }).scheduleCheckPendingRequests();
    expect(waiting.throttleCheckTimeoutId).not.toBeNull();
    disarm(waiting);

    const throttled = queue();
    throttled.maybeThrottle(60_000);
    throttled.checkPendingRequests(); // nothing pending, but the end of the throttle is checked
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    disarm(throttled);
  });
});
