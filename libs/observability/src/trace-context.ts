import { AsyncLocalStorage } from 'node:async_hooks';
import { randomFillSync } from 'node:crypto';

/** The causal context of the work in progress: which event caused it and which flow it belongs to. */
export interface TraceContext {
  /** Shared by every event of one business flow. */
  correlationId: string;
  /** The event being handled, the cause of anything published now. */
  causationId?: string;
  /** W3C trace context of the work in progress. */
  traceparent?: string;
}

const storage = new AsyncLocalStorage<TraceContext>();

/** Runs work with a trace context that loggers and the outbox writer pick up. */
export function runWithTrace<T>(context: TraceContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

/** A W3C traceparent continuing `parent`'s trace with a new span, or starting a new trace. */
export function childTraceparent(parent?: string): string {
  const match = parent ? /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/.exec(parent) : null;
  const traceId = match ? match[1] : randomHex(16);
  const flags = match ? match[2] : '01';
  return `00-${traceId}-${randomHex(8)}-${flags}`;
}

// One randomFillSync per 4 KiB instead of one per id: the outbox writer calls this per event.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += bytes;
  return pool.toString('hex', poolOffset - bytes, poolOffset);
}
