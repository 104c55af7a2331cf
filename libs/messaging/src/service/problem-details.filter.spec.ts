import { ArgumentsHost, BadRequestException } from '@nestjs/common';
import { ProblemDetailsFilter } from './problem-details.filter';

function respond(exception: unknown): {
  status: number;
  type: string;
  body: Record<string, unknown>;
} {
  const seen = { status: 0, type: '', body: {} as Record<string, unknown> };
  const response = {
    status: (s: number) => ((seen.status = s), response),
    type: (t: string) => ((seen.type = t), response),
    json: (b: Record<string, unknown>) => (seen.body = b),
  };
  new ProblemDetailsFilter().catch(exception, {
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost);
  return seen;
}

describe('ProblemDetailsFilter', () => {
  it('keeps the 4xx status of a body-parser error (http-errors with expose)', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
      type: 'entity.too.large',
    });
    expect(respond(tooLarge)).toEqual({
      status: 413,
      type: 'application/problem+json',
      body: {
        type: 'about:blank',
        title: 'Payload too large',
        status: 413,
        detail: 'request entity too large',
      },
    });
  });

  it('hides unexpected errors behind a 500, also errors that only claim a status', () => {
    expect(respond(new Error('db password is hunter2')).body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
    });
    expect(respond(Object.assign(new Error('x'), { status: 404 })).status).toBe(500);
  });

  it('lists the fields of a validation failure', () => {
    const body = respond(
      new BadRequestException({
        error: 'Bad Request',
        errors: [{ field: 'type', problems: ['unknown'] }],
      }),
    ).body;
    expect(body).toMatchObject({ status: 400, errors: [{ field: 'type', problems: ['unknown'] }] });
  });
});
