import { performance } from 'node:perf_hooks';
import {
  AfterQueryEvent,
  BeforeQueryEvent,
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
} from 'typeorm';

/**
 * Time spent in each kind of SQL statement a DataSource runs through TypeORM (Troupe's relay,
 * writer and inbox, and the handler's effect), client-side: from send to result, so it includes
 * waiting for this process's event loop. Installed as a TypeORM subscriber (beforeQuery /
 * afterQuery), so libs/ stay untouched. A query runner runs one statement at a time, which is
 * what pairs the two events. Statements on raw pg clients (relay leadership, LISTEN) are not seen.
 */
export class QueryTimer implements EntitySubscriberInterface {
  private readonly started = new WeakMap<QueryRunner, number>();
  private readonly byKind = new Map<string, { count: number; ms: number }>();

  static install(dataSource: DataSource): QueryTimer {
    const timer = new QueryTimer();
    dataSource.subscribers.push(timer);
    return timer;
  }

  beforeQuery(event: BeforeQueryEvent): void {
    if (event.queryRunner) this.started.set(event.queryRunner, performance.now());
  }

  afterQuery(event: AfterQueryEvent): void {
    const started = event.queryRunner && this.started.get(event.queryRunner);
    if (started === undefined) return;
    const kind = kindOf(event.query);
    const entry = this.byKind.get(kind) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += performance.now() - started;
    this.byKind.set(kind, entry);
  }

  reset(): void {
    this.byKind.clear();
  }

  /** One line per statement kind, most time first. */
  report(indent = '    '): string {
    return [...this.byKind]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(
        ([kind, { count, ms }]) =>
          `${indent}${ms.toFixed(0).padStart(7)} ms ${String(count).padStart(7)}× ${(ms / count).toFixed(2).padStart(6)} ms  ${kind}`,
      )
      .join('\n');
  }
}

/** The statement's opening words, schema names dropped, so each kind of statement is one line. */
function kindOf(query: string): string {
  return query
    .replace(/\s+/g, ' ')
    .replace(/"[^"]*"\./g, '')
    .trim()
    .slice(0, 60);
}
