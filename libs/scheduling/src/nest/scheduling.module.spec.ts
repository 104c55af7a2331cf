import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import type { JobContext } from '../jobs/job-context';
import { ScheduledJob } from '../jobs/scheduled-job.decorator';
import { SchedulingDefinitionError } from '../scheduling-definition.error';
import { TaskHandler } from '../tasks/task-handler.decorator';
import { SchedulingModule } from './scheduling.module';

@ScheduledJob({ name: 'nightly-sweep', cron: '0 3 * * *' })
class SweepJob {
  async run(_ctx: JobContext) {}
}

@ScheduledJob({ name: 'nightly-sweep', cron: '0 4 * * *' })
class OtherSweepJob {
  async run(_ctx: JobContext) {}
}

@ScheduledJob({ name: 'bad-zone', cron: '0 3 * * *', zone: 'Moon/Tranquility' })
class BadZoneJob {
  async run(_ctx: JobContext) {}
}

@TaskHandler({ type: 'bad-retries', maxAttempts: 0 })
class BadTask {
  async run() {}
}

/** Start-up refuses bad declarations before anything touches the database. */
describe('SchedulingModule start-up', () => {
  const boot = async (providers: Array<new () => unknown>, schedules = {}) => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        {
          module: class FakeDatabase {},
          global: true,
          providers: [{ provide: DataSource, useValue: { options: { schema: 'never_used' } } }],
          exports: [DataSource],
        },
        SchedulingModule.forRoot({ schedules }),
      ],
      providers,
    }).compile();
    moduleRef.useLogger(false);
    try {
      await moduleRef.init();
    } finally {
      await moduleRef.close().catch(() => undefined);
    }
  };

  it('stops on a job name declared twice, naming the job and both classes', async () => {
    await expect(boot([SweepJob, OtherSweepJob])).rejects.toThrow(
      new SchedulingDefinitionError(
        'job',
        'nightly-sweep',
        'the name is declared twice (by SweepJob and by OtherSweepJob)',
      ),
    );
  });

  it('stops on an invalid zone, an invalid configured cron, or a schedule for an unknown job', async () => {
    await expect(boot([BadZoneJob])).rejects.toThrow(/^job "bad-zone": zone "Moon\/Tranquility"/);
    await expect(boot([SweepJob], { 'nightly-sweep': { cron: '0 25 * * *' } })).rejects.toThrow(
      /^job "nightly-sweep": cron expression "0 25 \* \* \*" is invalid/,
    );
    await expect(boot([SweepJob], { billing: { cron: '0 * * * *' } })).rejects.toThrow(
      'job "billing": a schedule is configured for it, but no such job exists (jobs: nightly-sweep)',
    );
  });

  it('stops on a task type with a bad maximum, naming it', async () => {
    await expect(boot([BadTask])).rejects.toThrow(
      'task type "bad-retries": maxAttempts must be a positive integer, got 0',
    );
  });
});
