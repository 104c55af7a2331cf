import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TroupeModule, adminTokenProvider } from '@troupe/messaging';
import { jsonLogger } from '@troupe/observability';
import { SchedulingModule } from '@troupe/scheduling';
import { AdminJobsController } from './api/admin-jobs.controller';
import { AdminTasksController } from './api/admin-tasks.controller';
import { ShopServices } from './clients/shop-services.client';
import { CancelStuckOrderTask } from './jobs/cancel-stuck-order.task';
import { DailyReconciliationJob } from './jobs/daily-reconciliation.job';
import { DeadlineMonitorJob } from './jobs/deadline-monitor.job';
import { GapRedeliveryJob } from './jobs/gap-redelivery.job';
import { CompensationService } from './clients/compensation.client';
import { ReviewPaymentMismatchTask } from './jobs/review-payment-mismatch.task';
import { schedulerDatabaseOptions } from './persistence/scheduler-database.options';
import { SchedulerConfig } from './scheduler.config';

/**
 * The scheduler: the shop's cron jobs (one run per firing across any number of replicas) and
 * the tasks they drive, with a token-protected admin API. Jobs only orchestrate: they call the
 * services' HTTP APIs (and could publish through the outbox); the scheduler's own schema holds
 * its own tables only.
 */
@Module({})
export class SchedulerModule {
  static forRoot(config: SchedulerConfig): DynamicModule {
    const service = config.CONSUMER_GROUP;
    const log = jsonLogger(service, config.LOG_LEVEL);
    return {
      module: SchedulerModule,
      imports: [
        TypeOrmModule.forRootAsync({ useFactory: () => schedulerDatabaseOptions(config) }),
        TroupeModule.forRoot(config.troupeOptions(service, { log })),
        SchedulingModule.forRoot(config.schedulingOptions(log)),
      ],
      controllers: [AdminJobsController, AdminTasksController],
      providers: [
        { provide: SchedulerConfig, useValue: config },
        adminTokenProvider(config.ADMIN_TOKEN),
        ShopServices,
        DeadlineMonitorJob,
        CancelStuckOrderTask,
        DailyReconciliationJob,
        ReviewPaymentMismatchTask,
        CompensationService,
        GapRedeliveryJob,
      ],
    };
  }
}
