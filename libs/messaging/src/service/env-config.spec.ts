import { ConfigError, loadConfig } from './env-config';
import { PlatformEnv } from './platform-env';

describe('loadConfig', () => {
  it('reads and converts settings from the environment, keeping defaults for the rest', () => {
    const config = loadConfig(PlatformEnv, {
      PORT: '3011',
      DATABASE_URL: 'postgres://orders@db/troupe',
      KAFKA_BROKERS: 'a:1,b:2',
    });
    expect(config.PORT).toBe(3011);
    expect(config.TOPIC_PARTITIONS).toBe(6);
    expect(config.troupeOptions('orders').kafka.brokers).toEqual(['a:1', 'b:2']);
  });

  it('names every bad or missing setting', () => {
    let error: unknown;
    try {
      loadConfig(PlatformEnv, { PORT: 'eighty', KAFKA_BROKERS: 'nohostport' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT: .*\(got "eighty"\)/);
    expect(message).toMatch(
      /KAFKA_BROKERS: must be a comma-separated list of host:port \(got "nohostport"\)/,
    );
    expect(message).toMatch(/DATABASE_URL: .*\(not set\)/);
  });
});
