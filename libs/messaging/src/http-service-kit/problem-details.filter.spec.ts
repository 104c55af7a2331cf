import { ArgumentsHost, ServiceUnavailableException } from '@nestjs/common';
import { ProblemDetails, ProblemDetailsFilter } from './problem-details.filter';

function answer(exception: unknown): {
  status: number;
  type: string;
  headers: Record<string, string>;
  body: ProblemDetails;
} {
  const out = {
    status: 0,
    type: '',
    headers: {} as Record<string, string>,
    body: undefined as unknown as ProblemDetails,
  };
  const response = {
    getHeader: (name: string) => out.headers[name.toLowerCase()],
    setHeader: (name: string, value: string) => (out.headers[name.toLowerCase()] = value),
    status(status: number) {
      out.status = status;
      return this;
    },
    type(type: string) {
      out.type = type;
      return this;
    },
    json(body: ProblemDetails) {
      out.body = body;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return out;
}

describe('ProblemDetailsFilter', () => {
  it("answers body-parser's errors with 413 naming the limit and 400 for JSON it cannot parse", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
      type: 'entity.too.large',
      limit: 102400,
      length: 2000000,
    });
    expect(answer(tooLarge)).toMatchObject({
      status: 413,
      type: 'application/problem+json',
      body: {
        status: 413,
        detail: 'the request body has 2000000 bytes; the limit is 102400 bytes',
      },
    });
    const unparsable = Object.assign(new Error('Unexpected end of JSON input'), {
      status: 400,
      expose: true,
      type: 'entity.parse.failed',
    });
    expect(answer(unparsable).body).toMatchObject({
      status: 400,
      detail: 'the request body is not valid JSON: Unexpected end of JSON input',
    });
  });

  it('answers values PostgreSQL cannot store with 400, an unavailable database with 503 and Retry-After, the rest with 500', () => {
    const nul = {
      message: 'invalid byte sequence for encoding "UTF8": 0x00',
      driverError: Object.assign(new Error('x'), { code: '22021' }),
    };
    expect(answer(nul).body).toMatchObject({
      status: 400,
      detail: expect.stringContaining('0x00'),
    });
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    expect(answer(down)).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
    expect(answer(new ServiceUnavailableException('starting')).headers['retry-after']).toBe('1');
    expect(answer(new Error('secret internals'))).toMatchObject({
      status: 500,
      body: { status: 500 },
    });
    expect(answer(new Error('secret internals')).body.detail).toBeUndefined();
  });
});
