import { testInfra } from '@troupe/testing';
import { SchedulerConfig } from '../../apps/scheduler/src/scheduler.config';
import { spawnTs } from '../support/child-process';
import { sandboxConfig } from '../support/domain-harness';

/** The scheduler as a real process refuses to start on bad job settings, naming the job. */
describe('scheduler start-up', () => {
  let schedulerConfig: Awaited<ReturnType<typeof sandboxConfig<SchedulerConfig>>>;

  beforeAll(async () => {
    schedulerConfig = await sandboxConfig(SchedulerConfig, 'scheduler');
  });

  afterAll(async () => {
    await schedulerConfig?.dropSchema();
  });

  it.each([
    [
      { SCHEDULER_JOB_SCHEDULES: 'deadline-monitor=99 * * * *' },
      'job "deadline-monitor": cron expression "99 * * * *" is invalid',
    ],
    [
      { SCHEDULER_JOB_ZONES: 'daily-reconciliation=Mars/Olympus_Mons' },
      'job "daily-reconciliation": zone "Mars/Olympus_Mons" is not an IANA time zone',
    ],
    [
      { SCHEDULER_JOB_SCHEDULES: 'billing=0 * * * *' },
      'job "billing": a schedule is configured for it, but no such job exists',
    ],
  ])('does not start with %j, naming the job', async (env, message) => {
    const child = spawnTs('apps/scheduler/src/main.ts', [], {
      DATABASE_URL: testInfra.databaseUrl(),
      DATABASE_SCHEMA: schedulerConfig.DATABASE_SCHEMA,
      KAFKA_BROKERS: testInfra.kafkaBrokers().join(','),
      SCHEMA_REGISTRY_URL: testInfra.schemaRegistryUrl(),
      PORT: '3499',
      ...env,
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const errors = child
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string })
      .filter((line) => line.level === 'error');
    expect(errors.map((e) => e.msg)).toEqual([
      expect.stringContaining(`scheduler failed to start: ${message}`),
    ]);
  });
});
