import { DataSource } from 'typeorm';
import { InboxRecord } from './inbox-record.entity';
import { OutboxRecord } from './outbox-record.entity';

export interface TroupeTables {
  outbox: string;
  inbox: string;
  parked: string;
  /** The NOTIFY channel writers signal and the relay listens on. */
  channel: string;
  /** The advisory-lock key that elects one relay per outbox. */
  relayLockKey: string;
}

const cache = new WeakMap<DataSource, TroupeTables>();

/** Qualified names of a DataSource's outbox and inbox (from entity metadata, so its `schema` option applies). */
export function troupeTables(dataSource: DataSource): TroupeTables {
  let tables = cache.get(dataSource);
  if (!tables) {
    const outbox = dataSource.getMetadata(OutboxRecord);
    const inbox = dataSource.getMetadata(InboxRecord);
    const qualify = (schema: string | undefined, table: string) => (schema ? `"${schema}"."${table}"` : `"${table}"`);
    const scope = outbox.schema ?? 'public';
    tables = {
      outbox: qualify(outbox.schema, outbox.tableName),
      inbox: qualify(inbox.schema, inbox.tableName),
      parked: qualify(inbox.schema, 'parked_events'),
      channel: `troupe_outbox_${scope}`.replace(/[^a-zA-Z0-9_]/g, '_'),
      relayLockKey: `troupe-relay:${scope}.${outbox.tableName}`,
    };
    cache.set(dataSource, tables);
  }
  return tables;
}

/** The entities a service adds to its DataSource so Troupe can find its tables. */
export const TROUPE_ENTITIES = [OutboxRecord, InboxRecord];
