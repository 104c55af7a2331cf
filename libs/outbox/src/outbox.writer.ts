import { childTraceparent, currentTrace } from '@troupe/observability';
import { AVRO_CONTENT_TYPE, AvroCodec, CE_SPEC_VERSION, EventClass, HEADER, TroupeEvent, defaultKeyOf } from '@troupe/schemas';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { CommitWake } from './commit-wake';
import { troupeTables } from './table-names';

export interface AddOptions {
  /** The message key (aggregate id). Default: the value of the schema's key field. */
  key?: string;
  /** Publish no earlier than this (a delayed event). Default: as soon as the transaction commits. */
  deliverAt?: Date;
  /** Default: the handled event's correlation id, else this event's own id (it starts a flow). */
  correlationId?: string;
  /** Default: the id of the event being handled, if any. */
  causationId?: string;
}

/** What {@link OutboxWriter.add} wrote. */
export interface AddedEvent {
  id: string;
  topic: string;
  key: string | null;
}

/**
 * Appends events to the service's outbox inside the caller's transaction. The event is
 * Avro-encoded here, so an event that does not match its schema throws and the business
 * transaction rolls back. So does an event whose class the service does not declare in
 * `publishes` (TroupeOptions): its topic would not be created at start-up and the row could
 * never be published. Writers of the same key are serialised (a transaction-scoped advisory
 * lock), so per key the outbox order is the commit order.
 */
export class OutboxWriter {
  private readonly declared: ReadonlySet<string>;

  constructor(
    private readonly codec: AvroCodec,
    /** The producing service: the ce_source header. */
    private readonly service: string,
    /** Put before each event's topic (TroupeOptions.topicPrefix). */
    private readonly topicPrefix: string,
    /** The event classes the service declares it publishes; only these may be written. */
    publishes: readonly EventClass[],
  ) {
    this.declared = new Set(publishes.map(declaration));
  }

  async add(tx: EntityManager, event: TroupeEvent, options: AddOptions = {}): Promise<AddedEvent> {
    const [added] = await this.addAll(tx, [{ event, options }]);
    return added;
  }

  async addAll(tx: EntityManager, entries: ReadonlyArray<{ event: TroupeEvent; options?: AddOptions }>): Promise<AddedEvent[]> {
    if (!tx.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.add needs the EntityManager of an active transaction (dataSource.transaction(tx => ...))');
    }
    const tables = troupeTables(tx.connection);
    const rows = await Promise.all(entries.map(({ event, options }) => this.row(event, options ?? {})));
    const keys = [...new Set(rows.map((r) => `${r.topic}\u001f${r.key ?? ''}`))].sort();
    // One statement, so a writer holds its connection for one round trip less. Locks first (in
    // sorted order, so writers of several keys cannot deadlock): no row leaves the join, and so
    // no row draws its seq, before the aggregate over every lock has produced its one row. The
    // relay is woken after the commit (CommitWake), not by a NOTIFY in the transaction.
    await tx.query(
      `WITH locked AS MATERIALIZED (
         SELECT (SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM unnest($8::text[]) AS k)
       )
       INSERT INTO ${tables.outbox} (id, topic, key, event_type, payload, headers, deliver_at)
       SELECT r.* FROM locked, unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::jsonb[], $7::timestamptz[]) AS r`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.topic),
        rows.map((r) => r.key),
        rows.map((r) => r.eventType),
        rows.map((r) => r.payload),
        rows.map((r) => JSON.stringify(r.headers)),
        rows.map((r) => r.deliverAt),
        keys,
      ],
    );
    CommitWake.of(tx.connection).expect(tx.queryRunner);
    return rows.map(({ id, topic, key }) => ({ id, topic, key }));
  }

  private async row(event: TroupeEvent, options: AddOptions) {
    const type = event.constructor as EventClass;
    if (!this.declared.has(declaration(type))) {
      throw new Error(
        `OutboxWriter.add: ${type.name} (${type.eventType}, topic ${type.topic}) is not in the publishes of service ${this.service}; ` +
          'declare it in TroupeOptions.publishes so its schema is registered and its topic created at start-up',
      );
    }
    const payload = await this.codec.encode(event);
    const id = uuidv7();
    const trace = currentTrace();
    const headers: Record<string, string> = {
      [HEADER.eventId]: id,
      [HEADER.eventType]: type.eventType,
      [HEADER.source]: this.service,
      [HEADER.occurredAt]: new Date().toISOString(),
      [HEADER.specVersion]: CE_SPEC_VERSION,
      [HEADER.contentType]: AVRO_CONTENT_TYPE,
      [HEADER.correlationId]: options.correlationId ?? trace?.correlationId ?? id,
      [HEADER.traceparent]: childTraceparent(trace?.traceparent),
    };
    const causationId = options.causationId ?? trace?.causationId;
    if (causationId) headers[HEADER.causationId] = causationId;
    return {
      id,
      topic: `${this.topicPrefix}${type.topic}`,
      key: options.key ?? defaultKeyOf(event) ?? null,
      eventType: type.eventType,
      payload,
      headers,
      deliverAt: options.deliverAt ?? null,
    };
  }
}

/** An event class as the writer compares it: by event type and topic, so a class loaded twice still matches. */
function declaration(type: EventClass): string {
  return `${type.eventType}\u001f${type.topic}`;
}
