import {
  BeforeApplicationShutdown,
  Injectable,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { isPostgresRefusal } from '../lifecycle/dependency-refusals';
import { StartupStoppedError } from '../lifecycle/dependency-wait';
import { initializeDataSource, postgresAddress } from '../lifecycle/data-source.startup';
import { TroupeRuntime } from '../troupe.runtime';
import { HandlerMetadata, TROUPE_HANDLER } from './on-event.decorator';

/** Where start-up is: waiting for dependencies, done, or given up (see {@link TroupeExplorer}). */
export type StartupPhase = 'starting' | 'started' | 'failed';

/**
 * Finds every @OnEvent method on the application's providers at bootstrap, hands them to the
 * runtime and starts it; stops it before the application's other shutdown hooks run, so the
 * database (closed by TypeORM's own hook) is closed last.
 *
 * Start-up first initializes the application's DataSource when TypeORM was told to leave that
 * to us (serviceDatabaseOptions sets `manualInitialization`), then starts the runtime; each
 * step waits for its dependency while it is unreachable (DependencyWait). Bootstrap returns once
 * start-up is done, or as soon as it has to wait: the application then listens (so
 * /health/live answers and /health/ready says what is awaited) while start-up goes on. A
 * refusal before that rejects bootstrap; one after it goes to {@link onStartupFailure}.
 */
@Injectable()
export class TroupeExplorer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  phase: StartupPhase = 'starting';
  /** Why start-up failed, once phase is 'failed'. */
  failure?: unknown;
  /** A start-up that failed after bootstrap returned. Default: logged; runService also exits 1. */
  onStartupFailure: (error: unknown) => void = (error) =>
    this.runtime.options.log('error', `start-up failed: ${(error as Error).message}`, { error });

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly runtime: TroupeRuntime,
    @Optional() private readonly dataSource?: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.register();
    let waiting!: () => void;
    const firstWait = new Promise<'waiting'>((resolve) => (waiting = () => resolve('waiting')));
    const unsubscribe = this.runtime.startup.onWaiting(waiting);
    const startup = this.start();
    try {
      if ((await Promise.race([startup.then(() => 'started' as const), firstWait])) === 'started')
        return;
    } finally {
      unsubscribe();
    }
    startup.catch((error: unknown) => {
      if (!(error instanceof StartupStoppedError)) this.onStartupFailure(error);
    });
  }

  /** What start-up waits for now, if anything. */
  waitingFor() {
    return this.runtime.startup.waitingFor;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }

  private async start(): Promise<void> {
    try {
      const dataSource = this.dataSource;
      if (dataSource && !dataSource.isInitialized) {
        const postgres = { name: 'PostgreSQL', address: postgresAddress(dataSource.options) };
        await this.runtime.startup.until(
          postgres,
          () => initializeDataSource(dataSource),
          isPostgresRefusal,
        );
      }
      await this.runtime.start();
      this.phase = 'started';
    } catch (error) {
      this.phase = 'failed';
      this.failure = error;
      throw error;
    }
  }

  private register(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = prototype[methodName];
        const metadata = this.reflector.get<HandlerMetadata | undefined>(TROUPE_HANDLER, method);
        if (!metadata) continue;
        this.runtime.addHandler({
          event: metadata.event,
          group: metadata.options.group ?? this.runtime.options.service,
          delivery: metadata.options.delivery ?? 'once',
          retry: metadata.options.retry ?? {},
          timeoutMs: metadata.options.timeoutMs,
          reapplicable: metadata.options.reapplicable,
          effects: metadata.options.effects,
          name: `${prototype.constructor.name}.${methodName}`,
          ...(metadata.batch
            ? { handleBatch: (items, batch) => method.call(instance, items, batch) }
            : { handle: (event, context) => method.call(instance, event, context) }),
        });
      }
    }
  }
}
