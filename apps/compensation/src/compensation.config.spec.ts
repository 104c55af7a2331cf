import { ConfigError, loadConfig } from '@troupe/messaging';
import { CompensationConfig } from './compensation.config';
import { resolveLagExporterOptions } from './lag/lag-exporter.options';

describe('CompensationConfig', () => {
  it('has defaults that make valid exporter options', () => {
    const options = resolveLagExporterOptions(
      loadConfig(CompensationConfig, {}).lagExporterOptions(),
    );
    expect(options).toMatchObject({
      pollIntervalMs: 5000,
      clusterName: 'troupe',
      broadcastGroups: [],
      broadcastGroupExpiryMs: 600_000,
      statusWindowMs: 60_000,
    });
    expect(options.topicExclude.test('__consumer_offsets')).toBe(true);
    expect(options.groupExclude.test('payments')).toBe(false);
  });

  it('reads the broadcast groups and patterns', () => {
    const config = loadConfig(CompensationConfig, {
      LAG_BROADCAST_GROUPS: 'notifications-feed,cache',
      LAG_GROUP_EXCLUDE: '^it-',
      LAG_POLL_INTERVAL_MS: '1000',
    });
    const options = config.lagExporterOptions();
    expect(options.broadcastGroups).toEqual(['notifications-feed', 'cache']);
    expect(options.groupExclude!.test('it-x')).toBe(true);
    expect(options.pollIntervalMs).toBe(1000);
  });

  it.each([
    ['LAG_POLL_INTERVAL_MS', 'often'],
    ['LAG_POLL_INTERVAL_MS', '10'],
    ['LAG_TOPIC_EXCLUDE', '(unclosed'],
    ['LAG_BROADCAST_GROUPS', 'a,,b'],
    ['LAG_CLUSTER_NAME', 'my cluster'],
  ])('stops start-up naming %s for %j', (name, value) => {
    expect(() => loadConfig(CompensationConfig, { [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig(CompensationConfig, { [name]: value })).toThrow(name);
  });

  it('reads the services and their admin URLs, and names SERVICE_ADMIN_URLS when it is malformed', () => {
    const config = loadConfig(CompensationConfig, {
      SERVICE_ADMIN_URLS: 'orders=http://orders:3001/,payments=https://payments.internal:8443',
    });
    expect([...config.serviceAdminUrls()]).toEqual([
      ['orders', 'http://orders:3001'],
      ['payments', 'https://payments.internal:8443'],
    ]);
    expect(loadConfig(CompensationConfig, {}).serviceAdminUrls().size).toBe(0);
    expect(() => loadConfig(CompensationConfig, { SERVICE_ADMIN_URLS: 'orders:3001' })).toThrow(/SERVICE_ADMIN_URLS/);
  });
});
