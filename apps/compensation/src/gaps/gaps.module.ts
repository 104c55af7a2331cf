import { ADMIN_TOKEN, TroupeRuntime, clusterAdminOf, topicReaderOf } from '@troupe/messaging';
import { BeforeApplicationShutdown, Inject, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GapsController } from '../api/gaps.controller';
import { GroupAdminClient } from '../clients/group-admin.client';
import { CompensationConfig } from '../compensation.config';
import { ReplayModule } from '../replay/replay.module';
import { ReplayService } from '../replay/replay.service';
import { GapDetector } from './gap-detector';

/** The periodic check (GAP_CHECK_INTERVAL_MS; off at 0), replaying what it finds when GAP_AUTO_REPLAY. */
@Injectable()
class GapCheck implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @Inject(GapDetector) private readonly detector: GapDetector,
    @Inject(CompensationConfig) private readonly config: CompensationConfig,
    @Inject(TroupeRuntime) private readonly runtime: TroupeRuntime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every = this.config.GAP_CHECK_INTERVAL_MS;
    if (every <= 0) return;
    await this.runtime.afterStart(() => {
      if (!this.stopped) this.timer = setInterval(() => this.check(), every);
    });
  }

  private check(): void {
    if (this.running) return;
    this.running = this.detector
      .detect({ replay: this.config.GAP_AUTO_REPLAY })
      .then((report) => {
        for (const e of report.errors) this.runtime.options.log('warn', `gap check of group ${e.group} failed: ${e.message}`);
        for (const gap of report.gaps.filter((g) => g.givenUp.length))
          this.runtime.options.log('error', `group ${gap.group}: ${gap.givenUp.length} event(s) of ${gap.topic} still not applied after ${this.config.GAP_REPLAY_MAX_ATTEMPTS} replays`, { eventIds: gap.givenUp });
      })
      .catch((error) => this.runtime.options.log('warn', 'gap check failed', { error }))
      .finally(() => (this.running = undefined));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}

/** Gap detection: API, metric, periodic check with optional automatic replay. */
@Module({
  imports: [ReplayModule],
  controllers: [GapsController],
  providers: [
    {
      provide: GapDetector,
      inject: [GroupAdminClient, TroupeRuntime, ReplayService, DataSource, CompensationConfig],
      useFactory: (services: GroupAdminClient, runtime: TroupeRuntime, replays: ReplayService, db: DataSource, config: CompensationConfig) =>
        new GapDetector(
          services,
          runtime.transport,
          clusterAdminOf(runtime.transport, { clientId: 'troupe-gaps' }),
          topicReaderOf(runtime.transport, { clientId: 'troupe-gaps', groupPrefix: `${runtime.options.service}.reader.` }),
          replays,
          db,
          runtime.metrics.registry,
          { windowMs: config.GAP_WINDOW_MS, graceMs: config.GAP_GRACE_MS, maxAttempts: config.GAP_REPLAY_MAX_ATTEMPTS },
        ),
    },
    GapCheck,
    { provide: ADMIN_TOKEN, inject: [CompensationConfig], useFactory: (config: CompensationConfig) => ({ token: config.ADMIN_TOKEN }) },
  ],
})
export class GapsModule {}
