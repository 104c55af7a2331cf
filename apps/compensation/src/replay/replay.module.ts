import { BeforeApplicationShutdown, Inject, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ADMIN_TOKEN, TroupeRuntime, clusterAdminOf, topicReaderOf } from '@troupe/messaging';
import { DataSource } from 'typeorm';
import { AuditController } from '../api/audit.controller';
import { DeadLettersController } from '../api/dead-letters.controller';
import { ReplaysController } from '../api/replays.controller';
import { DeadLetterActions } from '../dead-letters/dead-letter-actions.store';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { RedriveCopier } from '../dead-letters/redrive.copier';
import { AuditLog } from '../audit/audit-log';
import { GroupAdminClient } from '../clients/group-admin.client';
import { CompensationConfig } from '../compensation.config';
import { ReplayCopier } from './replay.copier';
import { ReplayJobStore } from './replay-job.store';
import { ReplayRunner } from './replay.runner';
import { ReplayService } from './replay.service';

/** Resumes the jobs left running once start-up is through; stops them (cursors saved) before the transport closes. */
@Injectable()
class ReplayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(ReplayRunner) private readonly runner: ReplayRunner,
    @Inject(TroupeRuntime) private readonly runtime: TroupeRuntime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A database failure here is logged, not a failed start-up: the API still serves, and the next start resumes.
    await this.runtime.afterStart(() =>
      this.runner.resume().catch((error) => this.runtime.options.log('error', 'resuming replay jobs failed', { error })),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

/**
 * Replay to one group, dead-letter listing and redrive (jobs of the same runner), and the audit
 * of both. Needs TroupeModule, the app's DataSource and
 * {@link CompensationConfig} in the application.
 */
@Module({
  controllers: [ReplaysController, DeadLettersController, AuditController],
  providers: [
    { provide: ReplayJobStore, inject: [DataSource], useFactory: (db: DataSource) => new ReplayJobStore(db) },
    { provide: DeadLetterActions, inject: [DataSource], useFactory: (db: DataSource) => new DeadLetterActions(db) },
    { provide: AuditLog, inject: [DataSource], useFactory: (db: DataSource) => new AuditLog(db) },
    {
      provide: GroupAdminClient,
      inject: [CompensationConfig],
      useFactory: (config: CompensationConfig) => new GroupAdminClient(config.serviceAdminUrls(), config.groupAdminUrls(), config.SERVICE_ADMIN_TOKEN ?? config.ADMIN_TOKEN),
    },
    {
      provide: ReplayRunner,
      inject: [ReplayJobStore, AuditLog, DeadLetterActions, TroupeRuntime, CompensationConfig],
      useFactory: (store: ReplayJobStore, audit: AuditLog, actions: DeadLetterActions, runtime: TroupeRuntime, config: CompensationConfig) =>
        new ReplayRunner(
          store,
          audit,
          topicReaderOf(runtime.transport, { clientId: 'troupe-replay', groupPrefix: `${runtime.options.service}.reader.` }),
          () => runtime.transport.publisher(),
          { replay: new ReplayCopier(), redrive: new RedriveCopier(actions, config.REDRIVE_LIMIT) },
          { batchSize: config.REPLAY_BATCH_SIZE },
          (level, message, error) => runtime.options.log(level, message, error ? { error } : undefined),
        ),
    },
    {
      provide: ReplayService,
      inject: [GroupAdminClient, TroupeRuntime, ReplayJobStore, ReplayRunner, AuditLog, CompensationConfig],
      useFactory: (services: GroupAdminClient, runtime: TroupeRuntime, store: ReplayJobStore, runner: ReplayRunner, audit: AuditLog, config: CompensationConfig) =>
        new ReplayService(
          services,
          runtime.transport,
          clusterAdminOf(runtime.transport, { clientId: 'troupe-replay' }),
          topicReaderOf(runtime.transport, { clientId: 'troupe-replay', groupPrefix: `${runtime.options.service}.reader.` }),
          store,
          runner,
          audit,
          { topicPrefix: config.TOPIC_PREFIX, defaultRate: config.REPLAY_RATE_PER_SECOND, actor: config.ADMIN_TOKEN_NAME },
        ),
    },
    {
      provide: DeadLettersService,
      inject: [GroupAdminClient, TroupeRuntime, DeadLetterActions, ReplayJobStore, ReplayRunner, AuditLog, CompensationConfig],
      useFactory: (
        services: GroupAdminClient,
        runtime: TroupeRuntime,
        actions: DeadLetterActions,
        store: ReplayJobStore,
        runner: ReplayRunner,
        audit: AuditLog,
        config: CompensationConfig,
      ) =>
        new DeadLettersService(
          services,
          runtime.transport,
          clusterAdminOf(runtime.transport, { clientId: 'troupe-redrive' }),
          topicReaderOf(runtime.transport, { clientId: 'troupe-redrive', groupPrefix: `${runtime.options.service}.reader.` }),
          actions,
          store,
          runner,
          audit,
          { defaultRate: config.REPLAY_RATE_PER_SECOND, actor: config.ADMIN_TOKEN_NAME, redriveLimit: config.REDRIVE_LIMIT },
        ),
    },
    ReplayLifecycle,
    { provide: ADMIN_TOKEN, inject: [CompensationConfig], useFactory: (config: CompensationConfig) => ({ token: config.ADMIN_TOKEN }) },
  ],
  exports: [ReplayRunner, ReplayJobStore, AuditLog, GroupAdminClient, ReplayService],
})
export class ReplayModule {}
