import { qualified } from '@troupe/outbox';
import { DataSource } from 'typeorm';
import { InboxRecord } from './inbox/inbox-record.entity';

/** Qualified names of a DataSource's inbox and parking lot (they live in the inbox's schema). */
export interface ConsumerTables {
  inbox: string;
  parked: string;
}

const cache = new WeakMap<DataSource, ConsumerTables>();

export function consumerTables(dataSource: DataSource): ConsumerTables {
  let tables = cache.get(dataSource);
  if (!tables) {
    const inbox = dataSource.getMetadata(InboxRecord);
    tables = { inbox: qualified(inbox.schema, inbox.tableName), parked: qualified(inbox.schema, 'parked_events') };
    cache.set(dataSource, tables);
  }
  return tables;
}
