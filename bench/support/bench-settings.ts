/**
 * Bench parameters, read from the environment as BENCH_<NAME> so a run can be repeated exactly
 * from the command line (docs/benchmarks.md lists the ones used). Every value is a positive integer.
 */
export function setting(name: string, fallback: number): number {
  const raw = process.env[`BENCH_${name}`];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`BENCH_${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** The public Troupe knobs the benches turn (TroupeOptions), with Troupe's own defaults. */
export function troupeTuning() {
  return {
    partitions: setting('PARTITIONS', 4),
    chunkSize: setting('CHUNK_SIZE', 100),
    partitionConcurrency: setting('PARTITION_CONCURRENCY', 4),
    relayBatchSize: setting('RELAY_BATCH_SIZE', 500),
    /** The bench handler's effects: its one INSERT goes through ctx.tx ('transaction'); BENCH_EFFECTS=external measures the savepoint per event. */
    effects: handlerEffects(),
  };
}

export type TroupeTuning = ReturnType<typeof troupeTuning>;

/** An on/off switch: BENCH_<NAME>=1 turns it on. */
export function flag(name: string): boolean {
  return process.env[`BENCH_${name}`] === '1';
}

function handlerEffects(): 'transaction' | 'external' {
  const raw = process.env.BENCH_EFFECTS ?? 'transaction';
  if (raw !== 'transaction' && raw !== 'external') throw new Error(`BENCH_EFFECTS must be transaction or external, got "${raw}"`);
  return raw;
}
