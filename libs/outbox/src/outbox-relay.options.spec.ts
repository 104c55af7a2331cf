import { resolveRelayOptions } from './outbox-relay.options';

describe('resolveRelayOptions', () => {
  it('documents its defaults: 1 MiB requests, a 20 s leader session timeout with a 5 s heartbeat and 10 s statements', () => {
    expect(resolveRelayOptions()).toMatchObject({
      maxRequestBytes: 1_048_576,
      leaderSessionTimeoutMs: 20_000,
      leaderHeartbeatMs: 5_000,
      leaderStatementTimeoutMs: 10_000,
    });
  });

  it.each([
    [{ leaderHeartbeatMs: 15_000 }, /leaderHeartbeatMs/],
    [{ leaderStatementTimeoutMs: 20_000 }, /leaderStatementTimeoutMs/],
    [{ maxRequestBytes: 100 }, /maxRequestBytes/],
    [{ leaderSessionTimeoutMs: -1 }, /leaderSessionTimeoutMs/],
  ])('rejects %j naming the setting', (options, message) => {
    expect(() => resolveRelayOptions(options)).toThrow(message);
  });
});
