import { HandlerRegistration, TroupeOptions, TroupeRuntime } from '@troupe/messaging';
import { testInfra, waitFor } from '@troupe/testing';
import { DataSource } from 'typeorm';

export interface TestConsumer {
  runtime: TroupeRuntime;
  /** Every log line the runtime wrote, as `level message`. */
  logs: string[];
  stop(): Promise<void>;
}

/**
 * A TroupeRuntime without Nest, against the real broker and registry, for tests that vary the
 * consumer's options per case. Started and (by default) waited for until its groups are joined.
 */
export async function startConsumer(options: {
  service: string;
  dataSource?: DataSource;
  handlers: Array<Omit<HandlerRegistration, 'retry'> & Partial<Pick<HandlerRegistration, 'retry'>>>;
  troupe?: Partial<TroupeOptions>;
  waitUntilReady?: boolean;
}): Promise<TestConsumer> {
  const logs: string[] = [];
  const runtime = new TroupeRuntime(
    {
      service: options.service,
      kafka: { brokers: testInfra.kafkaBrokers() },
      schemaRegistry: { url: testInfra.schemaRegistryUrl() },
      relay: false,
      topics: { partitions: 1 },
      log: (level, message, extra) => {
        logs.push(
          `${level} ${message}${extra?.error ? ` :: ${(extra.error as Error)?.message ?? extra.error}` : ''}`,
        );
      },
      ...options.troupe,
    },
    options.dataSource,
  );
  for (const handler of options.handlers) runtime.addHandler({ retry: {}, ...handler });
  await runtime.start();
  if (options.waitUntilReady !== false)
    await waitFor(`${options.service} in its groups`, () => runtime.isReady(), 60_000);
  return { runtime, logs, stop: () => runtime.stop() };
}
