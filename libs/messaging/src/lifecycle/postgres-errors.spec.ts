import { postgresFailureOf } from './postgres-errors';

describe('postgresFailureOf', () => {
  const sqlState = (code: string) => Object.assign(new Error(`state ${code}`), { code });

  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      'unavailable',
    ],
    ['a server starting up', sqlState('57P03'), 'unavailable'],
    ['a server shutting down', sqlState('57P01'), 'unavailable'],
    ['a connection exception', sqlState('08006'), 'unavailable'],
    ['too many connections', sqlState('53300'), 'unavailable'],
    ["pg's dropped connection", new Error('Connection terminated unexpectedly'), 'unavailable'],
    ["pg-pool's wait timeout", new Error('timeout exceeded when trying to connect'), 'unavailable'],
    ['NUL in text', sqlState('22021'), 'bad-input'],
    ['not a uuid', sqlState('22P02'), 'bad-input'],
    ['a wrong password', sqlState('28P01'), 'refused'],
    ['no such database', sqlState('3D000'), 'refused'],
    ['a syntax error', sqlState('42601'), 'other'],
    ['anything else', new Error('boom'), 'other'],
  ])('%s is %s', (_what, error, failure) => {
    expect(postgresFailureOf(error)).toBe(failure);
  });

  it("looks inside TypeORM's QueryFailedError, causes and AggregateErrors", () => {
    expect(postgresFailureOf({ message: 'query failed', driverError: sqlState('22021') })).toBe(
      'bad-input',
    );
    expect(postgresFailureOf(new Error('wrapped', { cause: sqlState('57P03') }))).toBe(
      'unavailable',
    );
    expect(
      postgresFailureOf(
        new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
      ),
    ).toBe('unavailable');
  });
});
