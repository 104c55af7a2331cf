import { HandlerTimeoutError } from '../../errors/handler-timeout.error';
import { AttemptDeadline } from '../attempt-deadline';
import { Result, failed } from '../envelope';
import { Middleware } from './middleware';

/**
 * Bounds one attempt by its handler's timeoutMs. A slower attempt fails with the retriable
 * `handler-timeout` error; its abort signal fires, so the handler's `ctx.tx` refuses further
 * use and `ctx.signal` tells well-behaved handlers (fetch, timers) to give up.
 */
export const handlerTimeout: Middleware = (next) => async (envelope) => {
  const { handler } = envelope;
  if (!handler) return next(envelope);
  return withDeadline(
    (deadline) => next({ ...envelope, deadline }),
    handler.timeoutMs,
    (): Result => failed(new HandlerTimeoutError(handler.name, handler.timeoutMs)),
  );
};

/** Runs `work` with a fresh deadline of `timeoutMs`; past it, expires the deadline and resolves `onTimeout()`. */
export async function withDeadline<T>(work: (deadline: AttemptDeadline) => Promise<T>, timeoutMs: number, onTimeout: () => T): Promise<T> {
  const deadline = new AttemptDeadline();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      deadline.expire();
      resolve(onTimeout());
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(deadline), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
