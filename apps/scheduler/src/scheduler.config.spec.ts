import { ConfigError, loadConfig } from '@troupe/messaging';
import { SchedulerConfig } from './scheduler.config';

describe('SchedulerConfig', () => {
  it('has defaults for a local run', () => {
    const config = loadConfig(SchedulerConfig, {});
    expect(config).toMatchObject({
      PORT: 3006,
      DATABASE_URL: 'postgres://scheduler:scheduler@127.0.0.1:5432/troupe',
      DATABASE_SCHEMA: 'scheduler',
      ORDER_PENDING_TIMEOUT_S: 900,
      ADMIN_TOKEN: undefined,
    });
    expect(config.schedulingOptions(() => undefined).schedules).toEqual({});
  });

  it('reads per-job schedules and zones', () => {
    const config = loadConfig(SchedulerConfig, {
      SCHEDULER_JOB_SCHEDULES: 'deadline-monitor=*/5 * * * * *; daily-reconciliation=0 15 3 * * *',
      SCHEDULER_JOB_ZONES: 'daily-reconciliation=Europe/Berlin',
      TROUPE_INSTANCE_ID: 'scheduler-1',
    });
    expect(config.schedulingOptions(() => undefined)).toMatchObject({
      replicaId: 'scheduler-1',
      schedules: {
        'deadline-monitor': { cron: '*/5 * * * * *' },
        'daily-reconciliation': { cron: '0 15 3 * * *', zone: 'Europe/Berlin' },
      },
    });
  });

  it('names each bad setting', () => {
    const load = () =>
      loadConfig(SchedulerConfig, {
        SCHEDULER_JOB_SCHEDULES: 'every minute',
        ORDERS_URL: 'orders',
        ORDER_PENDING_TIMEOUT_S: '0',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/SCHEDULER_JOB_SCHEDULES: must be job=<cron expression> entries/);
    expect(load).toThrow(/ORDERS_URL: /);
    expect(load).toThrow(/ORDER_PENDING_TIMEOUT_S: /);
  });
});
