import { ConfigError, loadConfig } from '@troupe/messaging';
import { PaymentsConfig } from './payments.config';

describe('PaymentsConfig', () => {
  it('has defaults for a local run', () => {
    const config = loadConfig(PaymentsConfig, {});
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://payments:payments@127.0.0.1:5432/troupe',
      DATABASE_SCHEMA: 'payments',
      CONSUMER_GROUP: 'payments',
      PAYMENT_DECLINE_ABOVE_CENTS: 100_000,
      PAYMENT_FAILURE_RATE: 0,
    });
    expect(config.PORT).toBe(3002);
  });

  it('reads its own settings from environment strings', () => {
    const config = loadConfig(PaymentsConfig, {
      PAYMENT_DECLINE_ABOVE_CENTS: '5000',
      PAYMENT_FAILURE_RATE: '0.25',
      DATABASE_POOL_SIZE: '4',
      CONSUMER_GROUP: 'payments-v2',
    });
    expect(config).toMatchObject({
      PAYMENT_DECLINE_ABOVE_CENTS: 5000,
      PAYMENT_FAILURE_RATE: 0.25,
      DATABASE_POOL_SIZE: 4,
      CONSUMER_GROUP: 'payments-v2',
    });
  });

  it('names each bad setting', () => {
    const load = () =>
      loadConfig(PaymentsConfig, {
        PAYMENT_FAILURE_RATE: '1.5',
        PAYMENT_DECLINE_ABOVE_CENTS: '-1',
        DATABASE_SCHEMA: 'Payments; drop',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PAYMENT_FAILURE_RATE: .*not be greater than 1 \(got "1.5"\)/);
    expect(load).toThrow(/PAYMENT_DECLINE_ABOVE_CENTS: .*not be less than 0 \(got "-1"\)/);
    expect(load).toThrow(/DATABASE_SCHEMA: must be a lower-case SQL identifier/);
  });
});
