import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { ProblemDetails } from '@troupe/messaging';
import { UpstreamError } from '../clients/upstream.error';

/** A basic service that does not answer is the gateway's problem: 504 when too slow, else 502. */
@Catch(UpstreamError)
export class UpstreamErrorFilter implements ExceptionFilter<UpstreamError> {
  catch(error: UpstreamError, host: ArgumentsHost): void {
    const status = error.timedOut ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
    const problem: ProblemDetails = {
      type: 'about:blank',
      title: error.timedOut ? 'Gateway Timeout' : 'Bad Gateway',
      status,
      detail: error.message,
    };
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .type('application/problem+json')
      .json(problem);
  }
}
