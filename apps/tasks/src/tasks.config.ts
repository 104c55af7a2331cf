import { DataServiceEnv } from '@troupe/messaging';
import { IsIn, IsInt, IsNotEmpty, IsString, Max, Min } from 'class-validator';
import * as os from 'node:os';
import * as path from 'node:path';

/** Settings of the tasks service (environment variables of the same names). */
export class TasksConfig extends DataServiceEnv {
  override PORT = 3007;

  override DATABASE_URL = 'postgres://tasks:tasks@127.0.0.1:5432/troupe';

  override DATABASE_SCHEMA = 'tasks';

  override CONSUMER_GROUP = 'tasks';

  /** all: HTTP API and a worker; web: the API only; worker: a worker only (scaled separately). */
  @IsIn(['all', 'web', 'worker'])
  TASKS_ROLE: 'all' | 'web' | 'worker' = 'all';

  /** Attempts one worker replica runs at once. */
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_CONCURRENCY = 8;

  /** How often an idle worker looks for due work without a wake-up. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  WORKER_POLL_INTERVAL_MS = 1000;

  /** Lease of a running attempt: a task whose worker died runs again about this long after. */
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  TASK_LEASE_MS = 30_000;

  /** Where report tasks write their files. */
  @IsString()
  @IsNotEmpty()
  REPORTS_DIR = path.join(os.tmpdir(), 'troupe-reports');

  /** Report attempts one replica runs at once (CPU-bound). */
  @IsInt()
  @Min(1)
  @Max(64)
  REPORT_CONCURRENCY = 2;

  /** E-mails per second across every worker replica (the provider's limit). */
  @IsInt()
  @Min(1)
  @Max(100_000)
  EMAIL_RATE_PER_SECOND = 20;

  /** The stand-in provider's latency per e-mail. */
  @IsInt()
  @Min(0)
  @Max(60_000)
  EMAIL_SEND_LATENCY_MS = 20;
}
