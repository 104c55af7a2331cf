import { TroupeInboxReplay1732600000000 } from './inbox-replay.migration';
import { TroupeOutboxQuarantine1732500000000 } from './outbox-quarantine.migration';
import { TroupeParkedEvents1732400000000 } from './parked-events.migration';
import { TroupeTables1732300000000 } from './troupe-tables.migration';

/** Troupe's own migrations, in order; services run them before their own. */
export const TROUPE_MIGRATIONS = [TroupeTables1732300000000, TroupeParkedEvents1732400000000, TroupeOutboxQuarantine1732500000000, TroupeInboxReplay1732600000000];
