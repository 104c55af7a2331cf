import { Verb } from '../verb';
import { auditVerb } from './audit.verb';
import { dlqVerb } from './dlq.verb';
import { gapsVerb } from './gaps.verb';
import { outboxVerb } from './outbox.verb';
import { replayVerb } from './replay.verb';
import { traceVerb } from './trace.verb';

/** Every verb of `troupe`, in the order `troupe --help` lists them: find it, fix it, check it. */
export const VERBS: Verb[] = [traceVerb, dlqVerb, gapsVerb, replayVerb, auditVerb, outboxVerb];
