import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { TroupeRuntime } from '../troupe.runtime';
import { HandlerMetadata, TROUPE_HANDLER } from './on-event.decorator';

/**
 * Finds every @OnEvent method on the application's providers at bootstrap, hands them to the
 * runtime and starts it; stops it before the application's other shutdown hooks run, so the
 * database (closed by TypeORM's own hook) is closed last.
 */
@Injectable()
export class TroupeExplorer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly runtime: TroupeRuntime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
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
          name: `${prototype.constructor.name}.${methodName}`,
          handle: (event, context) => method.call(instance, event, context),
        });
      }
    }
    await this.runtime.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}
