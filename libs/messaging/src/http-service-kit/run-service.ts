import { DynamicModule, INestApplication, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { jsonLogger, LogLevel } from '@troupe/observability';
import { ConfigError } from './env-config';
import { NestJsonLogger } from './nest-json.logger';
import { TroupeExplorer } from '../nest/troupe.explorer';
import { configureServiceHttp } from './service-http';
import { StartupGuard } from './startup.guard';

export interface RunServiceOptions {
  /** The service's name, for logs and the API docs title. */
  name: string;
  port: number;
  logLevel?: LogLevel;
  /** Serve OpenAPI docs at /docs. Default true. */
  docs?: boolean;
  /** The largest JSON body read; larger ones get 413. Default HTTP_BODY_LIMIT_BYTES (100 KiB). */
  bodyLimitBytes?: number;
}

/**
 * Starts a Troupe service the same way everywhere: JSON logs, the HTTP rules of
 * configureServiceHttp (body limit, validated input, problem details), OpenAPI at /docs,
 * shutdown on SIGTERM/SIGINT (consumers, then relay, then the database), and its URL printed
 * once it listens. A bad configuration ends the process with exit code 1 and a message naming
 * the setting.
 *
 * Start-up (TroupeExplorer): a dependency that is unreachable (PostgreSQL, Kafka, the registry)
 * is waited for with bounded back-off, each attempt logged naming it and its address. The HTTP
 * server listens meanwhile: /health/live answers 200, /health/ready 503 saying what is awaited,
 * every other route 503 with Retry-After. A dependency that refuses for good (wrong password, a
 * schema the registry rejects) ends the process with exit code 1 and a message naming it,
 * whether that happens before the server listens or after.
 */
export async function runService(
  module: Type<unknown> | DynamicModule,
  options: RunServiceOptions,
): Promise<INestApplication> {
  const log = jsonLogger(options.name, options.logLevel ?? 'info');
  try {
    const root = 'module' in module ? wrap(module) : module;
    const app = await NestFactory.create(root, {
      logger: new NestJsonLogger(log),
      bufferLogs: false,
      bodyParser: false,
    });
    configureServiceHttp(app, {
      bodyLimitBytes: options.bodyLimitBytes,
      log: (error) => log('error', 'request failed', { error }),
    });
    const explorer = explorerOf(app);
    if (explorer) {
      app.useGlobalGuards(new StartupGuard(explorer));
      explorer.onStartupFailure = (error) => {
        log('error', `${options.name} failed to start: ${(error as Error).message}`, { error });
        void app.close().finally(() => process.exit(1));
      };
    }
    app.enableShutdownHooks();
    if (options.docs !== false) {
      const document = SwaggerModule.createDocument(
        app,
        new DocumentBuilder().setTitle(`${options.name} API`).setVersion('1').addBearerAuth().build(),
      );
      SwaggerModule.setup('docs', app, document);
    }
    await app.listen(options.port, '0.0.0.0');
    const waiting = explorer?.phase === 'starting' ? explorer.waitingFor() : undefined;
    log(
      'info',
      `${options.name} listening on http://127.0.0.1:${options.port}${waiting ? `; not ready until ${waiting.name} at ${waiting.address} answers` : ''}`,
      { url: `http://127.0.0.1:${options.port}` },
    );
    return app;
  } catch (error) {
    log(
      'error',
      error instanceof ConfigError
        ? error.message
        : `${options.name} failed to start: ${(error as Error).message}`,
      { error },
    );
    process.exit(1);
  }
}

/** Loads configuration for main.ts; on a bad setting, logs which one and exits 1. */
export function configOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    jsonLogger(service)('error', (error as Error).message);
    process.exit(1);
  }
}

/** The application's TroupeExplorer, if it imports TroupeModule. */
function explorerOf(app: INestApplication): TroupeExplorer | undefined {
  try {
    return app.get(TroupeExplorer, { strict: false });
  } catch {
    return undefined;
  }
}

/** NestFactory takes a module class; a dynamic module becomes the import of one. */
function wrap(dynamic: DynamicModule): Type<unknown> {
  @Module({ imports: [dynamic] })
  class ServiceRoot {}
  return ServiceRoot;
}
