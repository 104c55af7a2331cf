import { SchedulingDefinitionError } from '../scheduling-definition.error';
import { DiscoveredJob, JobCatalog } from './job-catalog';
import type { JobDefinition } from './job-definition';

describe('JobCatalog', () => {
  const job = (definition: Partial<JobDefinition> & { name: string }, declaredBy = 'SomeJob') =>
    ({
      definition: { cron: '0 * * * *', ...definition },
      handler: { run: async () => undefined },
      declaredBy,
    }) as DiscoveredJob;

  it('fills defaults and applies the deployment schedule', () => {
    const catalog = new JobCatalog(
      [job({ name: 'a' }), job({ name: 'b', zone: 'Europe/Berlin' })],
      {
        b: { cron: '*/5 * * * * *' },
      },
    );
    expect(catalog.names()).toEqual(['a', 'b']);
    expect(catalog.get('a')?.definition).toEqual({
      name: 'a',
      cron: '0 * * * *',
      zone: 'UTC',
      timeoutMs: 60_000,
      misfire: { policy: 'fire-once' },
      description: '',
    });
    expect(catalog.get('b')?.definition).toMatchObject({
      cron: '*/5 * * * * *',
      zone: 'Europe/Berlin',
    });
    expect(catalog.get('b')?.schedule.intervalSeconds(new Date())).toBe(5);
  });

  const refusal = (jobs: DiscoveredJob[], schedules = {}) => {
    try {
      new JobCatalog(jobs, schedules);
    } catch (error) {
      expect(error).toBeInstanceOf(SchedulingDefinitionError);
      return (error as Error).message;
    }
    throw new Error('the catalog accepted it');
  };

  it('names the job with an invalid cron expression or zone', () => {
    expect(refusal([job({ name: 'ok' }), job({ name: 'billing', cron: '99 * * * *' })])).toMatch(
      /^job "billing": cron expression "99 \* \* \* \*" is invalid/,
    );
    expect(refusal([job({ name: 'billing', zone: 'Europe/Atlantis' })])).toMatch(
      /^job "billing": zone "Europe\/Atlantis" is not an IANA time zone/,
    );
    expect(refusal([job({ name: 'billing' })], { billing: { zone: 'Nowhere' } })).toMatch(
      /^job "billing": zone "Nowhere"/,
    );
  });

  it('names a job declared twice, with both classes', () => {
    expect(
      refusal([job({ name: 'sweep' }, 'SweepJob'), job({ name: 'sweep' }, 'OtherSweepJob')]),
    ).toBe('job "sweep": the name is declared twice (by SweepJob and by OtherSweepJob)');
  });

  it('names a configured schedule for a job that does not exist', () => {
    expect(refusal([job({ name: 'a' })], { 'no-such-job': { cron: '* * * * *' } })).toBe(
      'job "no-such-job": a schedule is configured for it, but no such job exists (jobs: a)',
    );
  });

  it('refuses bad names, timeouts and misfire policies', () => {
    expect(refusal([job({ name: 'Has Spaces' })])).toMatch(/^job "Has Spaces": the name must be/);
    expect(refusal([job({ name: 'a', timeoutMs: 0 })])).toMatch(/timeoutMs must be a positive/);
    expect(refusal([job({ name: 'a', misfire: { policy: 'backfill', limit: 0 } })])).toMatch(
      /backfill limit must be an integer from 1/,
    );
    expect(refusal([job({ name: 'a', misfire: { policy: 'sometimes' } as never })])).toMatch(
      /misfire policy must be skip, fire-once or backfill/,
    );
  });
});
