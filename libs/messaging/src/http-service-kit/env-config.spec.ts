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
    expect(config.troupeOptions('orders').kafka?.brokers).toEqual(['a:1', 'b:2']);
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

  it('checks ADMIN_TOKEN without ever repeating it', () => {
    expect(loadConfig(PlatformEnv, { DATABASE_URL: 'postgres://x@db/troupe' }).ADMIN_TOKEN).toBeUndefined();
    expect(loadConfig(PlatformEnv, { DATABASE_URL: 'postgres://x@db/troupe', ADMIN_TOKEN: 'sixteen-chars-ok' }).ADMIN_TOKEN).toBe('sixteen-chars-ok');
    let message = '';
    try {
      loadConfig(PlatformEnv, { DATABASE_URL: 'postgres://x@db/troupe', ADMIN_TOKEN: 'short-secret' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/ADMIN_TOKEN: .*16 characters \(got 12 characters\)/);
    expect(message).not.toContain('short-secret');
  });
});
