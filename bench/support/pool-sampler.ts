import { DataSource } from 'typeorm';
import { distribution } from './stats';

/**
 * Samples how many callers wait for a connection of a DataSource's pg pool (every `everyMs`).
 * The relay takes its batch connection from the same pool as the application's writers, so a
 * queue here delays the relay too. Reads the driver's pool the way the relay's leadership does.
 */
export function samplePoolQueue(dataSource: DataSource, everyMs = 5): () => string {
  const pool = (
    dataSource.driver as unknown as { master: { waitingCount: number; totalCount: number } }
  ).master;
  const waiting: number[] = [];
  const timer = setInterval(() => waiting.push(pool.waitingCount), everyMs);
  return () => {
    clearInterval(timer);
    const d = distribution(waiting);
    const busy = waiting.filter((w) => w > 0).length;
    return `pool queue (callers waiting for one of ${pool.totalCount} connections): p50 ${d.p50}, p99 ${d.p99}, max ${d.max}; non-empty in ${((100 * busy) / Math.max(1, waiting.length)).toFixed(0)}% of samples`;
  };
}
