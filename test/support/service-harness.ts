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
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';

export interface RunningService {
  app: INestApplicationContext;
  runtime: TroupeRuntime;
  outbox: OutboxWriter;
  get<T>(type: Type<T>): T;
  /** With `http`: where the service listens (its /troupe/admin routes, /health, /metrics). */
  url?: string;
  stop(): Promise<void>;
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
  /** Serve HTTP on 127.0.0.1 (the service's HTTP rules applied): true for a free port, or the port. Default false. */
  http?: boolean | number;
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
    const http = moduleRef.createNestApplication({ logger: false, bodyParser: false });
    configureServiceHttp(http);
    await http.listen(options.http === true ? 0 : options.http, '127.0.0.1');
    url = `http://127.0.0.1:${(http.getHttpServer().address() as AddressInfo).port}`;
    app = http;
  } else {
    app = await moduleRef.init();
  }
  app.enableShutdownHooks();
  const runtime = app.get(TroupeRuntime);
  if (options.waitUntilReady !== false)
    await waitFor(`${options.service} consumers in their groups`, () => runtime.isReady(), 60_000);
  return {
    app,
    runtime,
    outbox: app.get(OutboxWriter),
    get: (type) => app.get(type),
    url,
    stop: () => app.close(),
  };
}
