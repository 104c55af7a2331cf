import { OutboxRecord } from '@troupe/outbox';
import { InboxRecord } from '../consumer/inbox/inbox-record.entity';

/** The entities a service adds to its DataSource so Troupe can find its tables. */
export const TROUPE_ENTITIES = [OutboxRecord, InboxRecord];
