import { troupeTables } from '@troupe/outbox';
import { HEADER } from '@troupe/schemas';
import { DataSource } from 'typeorm';
import { consumerTables } from '../consumer/consumer-tables';
import { Inbox } from '../consumer/inbox/inbox';
import { TroupeRuntime } from '../troupe.runtime';
import {
  KeyFlowsView,
  ServiceTraceView,
  TraceGroupView,
  TracedOutboxRowView,
  TracedParkedEventView,
} from './admin.views';

type Row = Record<string, unknown>;

/**
 * One service's part of a flow, from its own tables: its outbox rows with the correlation id
 * (the expression index outbox_correlation), its groups' inbox rows for given event ids (the
 * inbox's primary key), and its parked events of the flow. Payloads are never read.
 */
export class ServiceTraceReader {
  private readonly inbox = new Inbox();

  constructor(
    private readonly runtime: TroupeRuntime,
    private readonly dataSource?: DataSource,
  ) {}

  groups(): TraceGroupView[] {
    return this.runtime.handlers.groups().map((g) => ({
      group: g.group,
      groupId: g.groupId,
      delivery: g.delivery,
      eventTypes: [...g.byType.keys()],
      deadLetterTopic: this.runtime.naming.deadLetterTopic(g.group),
    }));
  }

  async read(correlationId: string, eventIds: readonly string[]): Promise<ServiceTraceView> {
    const groups = this.groups();
    const view: ServiceTraceView = {
      service: this.runtime.options.service,
      groups,
      published: [],
      handled: [],
      parked: [],
    };
    const db = this.dataSource;
    if (!db) return view;
    view.published = await this.published(db, correlationId);
    if (groups.length === 0) return view;
    view.parked = await this.parked(db, correlationId);
    const ids = [...new Set([...eventIds, ...view.parked.map((p) => p.eventId)])];
    for (const { groupId } of groups) {
      for (const [eventId, handledAt] of await this.inbox.lookUp(db.manager, groupId, ids))
        view.handled.push({ groupId, eventId, handledAt: handledAt.toISOString() });
    }
    return view;
  }

  /**
   * The flows in which this service published events of `key`, newest first (at most 20). The
   * outbox has no index on key: this reads the rows kept for the retention window, which is
   * fine for an operator's look-up and not meant for a hot path.
   */
  async flowsOfKey(key: string): Promise<KeyFlowsView> {
    const view: KeyFlowsView = { service: this.runtime.options.service, flows: [] };
    if (!this.dataSource) return view;
    const rows: Row[] = await this.dataSource.query(
      `SELECT headers->>'${HEADER.correlationId}' AS correlation_id, min(created_at) AS first_at, array_agg(DISTINCT event_type) AS types
         FROM ${troupeTables(this.dataSource).outbox} WHERE key = $1 GROUP BY 1 ORDER BY 2 DESC LIMIT 20`,
      [key],
    );
    view.flows = rows.map((r) => ({
      correlationId: r.correlation_id as string,
      firstAt: iso(r.first_at)!,
      eventTypes: r.types as string[],
    }));
    return view;
  }

  private async published(db: DataSource, correlationId: string): Promise<TracedOutboxRowView[]> {
    const rows: Row[] = await db.query(
      `SELECT id, event_type, topic, key, headers->>'${HEADER.causationId}' AS causation_id, created_at, deliver_at, published_at,
              quarantined_at, quarantine_reason, attempts, last_error
         FROM ${troupeTables(db).outbox} WHERE headers->>'${HEADER.correlationId}' = $1 ORDER BY seq LIMIT 1000`,
      [correlationId],
    );
    return rows.map((r) => ({
      eventId: r.id as string,
      eventType: r.event_type as string,
      topic: r.topic as string,
      key: r.key as string | null,
      causationId: r.causation_id as string | null,
      createdAt: iso(r.created_at)!,
      deliverAt: iso(r.deliver_at),
      publishedAt: iso(r.published_at),
      quarantinedAt: iso(r.quarantined_at),
      quarantineReason: r.quarantine_reason as string | null,
      attempts: Number(r.attempts),
      lastError: r.last_error as string | null,
    }));
  }

  private async parked(db: DataSource, correlationId: string): Promise<TracedParkedEventView[]> {
    const rows: Row[] = await db.query(
      `SELECT consumer_group, event_id, event_type, topic, partition, "offset", attempts, first_failure_at, last_failure_at, last_error,
              next_attempt_at, held, parked_at
         FROM ${consumerTables(db).parked} WHERE headers->>'${HEADER.correlationId}' = $1 ORDER BY id LIMIT 1000`,
      [correlationId],
    );
    return rows.map((r) => ({
      groupId: r.consumer_group as string,
      eventId: r.event_id as string,
      eventType: r.event_type as string,
      topic: r.topic as string,
      partition: Number(r.partition),
      offset: r.offset as string,
      attempts: Number(r.attempts),
      firstFailureAt: iso(r.first_failure_at),
      lastFailureAt: iso(r.last_failure_at),
      lastError: r.last_error as string | null,
      nextAttemptAt: iso(r.next_attempt_at)!,
      held: Boolean(r.held),
      parkedAt: iso(r.parked_at)!,
    }));
  }
}

function iso(value: unknown): string | null {
  return value instanceof Date
    ? value.toISOString()
    : value == null
      ? null
      : new Date(String(value)).toISOString();
}
