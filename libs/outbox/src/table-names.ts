import { DataSource } from 'typeorm';
import { OutboxRecord } from './outbox-record.entity';

/** Names of the outbox's table, NOTIFY channel and relay lock. */
export interface TroupeTables {
  outbox: string;
  /** The NOTIFY channel writers signal and the relay listens on. */
  channel: string;
  /** The advisory-lock key that elects one relay per outbox. */
  relayLockKey: string;
}

const cache = new WeakMap<DataSource, TroupeTables>();

/** The qualified name of a DataSource's outbox (from entity metadata, so its `schema` option applies). */
export function troupeTables(dataSource: DataSource): TroupeTables {
  let tables = cache.get(dataSource);
  if (!tables) {
    const outbox = dataSource.getMetadata(OutboxRecord);
    const scope = outbox.schema ?? 'public';
    tables = {
      outbox: qualified(outbox.schema, outbox.tableName),
      channel: `troupe_outbox_${scope}`.replace(/[^a-zA-Z0-9_]/g, '_'),
      relayLockKey: `troupe-relay:${scope}.${outbox.tableName}`,
    };
    cache.set(dataSource, tables);
  }
  return tables;
}

/** `"schema"."table"`, or `"table"` without a schema. */
export function qualified(schema: string | undefined, table: string): string {
  return schema ? `"${schema}"."${table}"` : `"${table}"`;
}
