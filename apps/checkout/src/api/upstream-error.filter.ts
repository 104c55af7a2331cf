import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { ProblemDetails } from '@troupe/messaging';
import { UpstreamError, UpstreamFailure } from '../clients/upstream.error';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-key';

const STATUS: Record<UpstreamFailure, HttpStatus> = {
  timeout: HttpStatus.GATEWAY_TIMEOUT,
  unreachable: HttpStatus.SERVICE_UNAVAILABLE,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  failed: HttpStatus.BAD_GATEWAY,
};

const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** A gateway problem: what a client needs to repeat the request safely. */
export interface UpstreamProblem extends ProblemDetails {
  /** The key this request was placed with; repeating it with this key places the order at most once. */
  idempotencyKey?: string;
}

/**
 * A basic service that gave no usable answer is the gateway's problem: 504 when it was too
 * slow, 503 when it refused the connection or said it is unavailable, else 502. 503 and 504
 * carry Retry-After (the service's own, else 1 s). When the request carried an
 * Idempotency-Key (POST /checkout always does, see the controller) the problem names it: after a
 * 504 the order may have been placed, and repeating the request with that key is what makes
 * that safe (the orders service answers the first request's order).
 */
@Catch(UpstreamError)
export class UpstreamErrorFilter implements ExceptionFilter<UpstreamError> {
  catch(error: UpstreamError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const status = STATUS[error.failure];
    const key = response.getHeader(IDEMPOTENCY_KEY_HEADER);
    const idempotencyKey = typeof key === 'string' ? key : undefined;
    const retry = idempotencyKey
      ? ` Repeat the request with Idempotency-Key ${idempotencyKey}: it places the order at most once.`
      : '';
    const maybe = error.failure === 'unreachable' ? '' : ' The request may have taken effect.';
    const problem: UpstreamProblem = {
      type: 'about:blank',
      title: HttpStatus[status]
        .toLowerCase()
        .replace(/_/g, ' ')
        .replace(/\b\w/g, (c) => c.toUpperCase()),
      status,
      detail: `${error.message}.${maybe}${retry}`,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    };
    if (status !== HttpStatus.BAD_GATEWAY)
      response.setHeader(
        'Retry-After',
        String(error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS),
      );
    response.status(status).type('application/problem+json').json(problem);
  }
}
