import { Verb } from '../verb';
import { auditVerb } from './audit.verb';
import { dlqVerb } from './dlq.verb';
import { gapsVerb } from './gaps.verb';
import { replayVerb } from './replay.verb';

/** Every verb of `troupe`, in the order `troupe --help` lists them. */
export const VERBS: Verb[] = [replayVerb, dlqVerb, gapsVerb, auditVerb];
