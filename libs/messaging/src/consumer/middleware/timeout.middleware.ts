import { HandlerTimeoutError } from '../../errors/handler-timeout.error';
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
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Result>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(failed(new HandlerTimeoutError(handler.name, handler.timeoutMs)));
    }, handler.timeoutMs);
  });
  try {
    return await Promise.race([next({ ...envelope, signal: controller.signal }), timedOut]);
  } finally {
    clearTimeout(timer);
  }
};
