import { IncomingMessage } from '@troupe/messaging';
import { DEAD_LETTER_HEADER, REPLAY_HEADER } from '@troupe/schemas';
import { ReplayJob } from '../replay/replay-job.store';
import { Copier, Disposition } from '../replay/replay.runner';
import { selector } from '../replay/replay-selection';
import { DeadLetterAction, DeadLetterActions } from './dead-letter-actions.store';
import { originalOf, positionOf, redriveCountOf } from './dead-letter.view';

const DLQ_HEADERS = new Set<string>(Object.values(DEAD_LETTER_HEADER));

/**
 * Redrive: a selected dead letter goes back to its group's replay topic as the original event
 * (the dead-letter headers dropped, the original location as the replay source), its redrive
 * count one higher. One redriven REDRIVE_LIMIT times already is quarantined instead; a dead
 * letter already redriven or quarantined is passed by (its next failure is a new dead letter).
 */
export class RedriveCopier implements Copier {
  private readonly done = new Map<string, Map<string, DeadLetterAction>>();
  private readonly selectors = new Map<string, (m: IncomingMessage) => boolean>();

  constructor(
    private readonly actions: DeadLetterActions,
    private readonly limit: number,
  ) {}

  async prepare(job: ReplayJob): Promise<void> {
    this.done.set(job.id, await this.actions.of(job.group));
    this.selectors.set(job.id, redriveSelector(job));
  }

  dispose(job: ReplayJob, message: IncomingMessage): Disposition {
    if (this.done.get(job.id)?.has(positionOf(message)) || !this.selectors.get(job.id)!(message)) return undefined;
    const count = redriveCountOf(message);
    if (count >= this.limit) return { quarantine: true };
    const original = originalOf(message);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers)) if (!DLQ_HEADERS.has(name)) headers[name] = value;
    return {
      send: {
        topic: job.targetTopic,
        key: message.key,
        value: message.value ?? Buffer.alloc(0),
        headers: {
          ...headers,
          [REPLAY_HEADER.id]: job.id,
          [REPLAY_HEADER.mode]: 'missed',
          [REPLAY_HEADER.sourceTopic]: original.topic,
          [REPLAY_HEADER.sourcePartition]: String(original.partition),
          [REPLAY_HEADER.sourceOffset]: original.offset,
          [REPLAY_HEADER.redriveCount]: String(count + 1),
        },
      },
    };
  }

  async settle(job: ReplayJob, sent: readonly IncomingMessage[], quarantined: readonly IncomingMessage[]): Promise<void> {
    await this.actions.record(job.group, job.id, 'redriven', sent);
    await this.actions.record(job.group, job.id, 'quarantined', quarantined);
  }
}

/** The selection of a redrive over the dead-letter topic (error codes from the dead-letter header). */
export function redriveSelector(job: Pick<ReplayJob, 'selection'>): (m: IncomingMessage) => boolean {
  return selector(job.selection, new Set(job.selection.eventTypes), (m) => m.headers[DEAD_LETTER_HEADER.errorCode]);
}
