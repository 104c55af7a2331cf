import { INestApplicationContext, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  OutboxWriter,
  TroupeModule,
  TroupeOptions,
  TroupeRuntime,
  configureServiceHttp,
} from '@troupe/messaging';
import { testInfra, waitFor } from '@troupe/testing';
import { DataSource } from 'typeorm';

export interface RunningService {
  app: INestApplicationContext;
  runtime: TroupeRuntime;
  outbox: OutboxWriter;
  get<T>(type: Type<T>): T;
  stop(): Promise<void>;
  /** With `http: true`: where the service listens (TroupeModule's endpoints), e.g. http://127.0.0.1:41234. */
  url?: string;
}

/**
 * Boots a Nest application context the way a Troupe service does (TroupeModule + handler
 * providers) against the real broker and registry, on a DataSource the test owns.
 */
export async function startService(options: {
  service: string;
  dataSource: DataSource;
  handlers?: Type<unknown>[];
  troupe?: Partial<TroupeOptions>;
  waitUntilReady?: boolean;
  /** Serve HTTP on a free port, with the rules every service applies (configureServiceHttp). */
  http?: boolean;
}): Promise<RunningService> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      // What TypeOrmModule.forRoot does in an app: the DataSource, visible to every module.
      {
        module: class TestDatabaseModule {},
        global: true,
        providers: [{ provide: DataSource, useValue: options.dataSource }],
        exports: [DataSource],
      },
      TroupeModule.forRoot({
        service: options.service,
        kafka: { brokers: testInfra.kafkaBrokers() },
        schemaRegistry: { url: testInfra.schemaRegistryUrl() },
        topics: { partitions: 4 },
        relay: { pollIntervalMs: 200 },
        log: (level, msg, extra) => {
          if (level === 'error')
            process.stderr.write(
              `[${options.service}] ${msg} ${extra ? JSON.stringify(extra) : ''}\n`,
            );
        },
        ...options.troupe,
      }),
    ],
    providers: options.handlers ?? [],
  }).compile();
  let url: string | undefined;
  let app: INestApplicationContext;
  if (options.http) {
    const web = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    configureServiceHttp(web);
    await web.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(web.getHttpServer().address() as { port: number }).port}`;
    app = web;
  } else app = await moduleRef.init();
  app.enableShutdownHooks();
  const runtime = app.get(TroupeRuntime);
  if (options.waitUntilReady !== false)
    await waitFor(`${options.service} consumers in their groups`, () => runtime.isReady(), 60_000);
  return {
    app,
    runtime,
    outbox: app.get(OutboxWriter),
    get: (type) => app.get(type),
    stop: () => app.close(),
    url,
  };
}
