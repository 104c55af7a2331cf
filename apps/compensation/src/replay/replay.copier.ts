import { IncomingMessage } from '@troupe/messaging';
import { REPLAY_HEADER } from '@troupe/schemas';
import { ReplayJob } from './replay-job.store';
import { Copier, Disposition } from './replay.runner';
import { selector } from './replay-selection';

/**
 * Replay: a selected event goes to the group's replay topic as it was (key, value, headers),
 * with the replay's id and mode and where it was read from. Its selection's eventTypes are the
 * types the group handles (the job was planned so).
 */
export class ReplayCopier implements Copier {
  private readonly selectors = new Map<string, (m: IncomingMessage) => boolean>();

  dispose(job: ReplayJob, message: IncomingMessage): Disposition {
    let selects = this.selectors.get(job.id);
    if (!selects) {
      selects = selector(job.selection, new Set(job.selection.eventTypes));
      this.selectors.set(job.id, selects);
    }
    if (!selects(message)) return undefined;
    return {
      send: {
        topic: job.targetTopic,
        key: message.key,
        value: message.value ?? Buffer.alloc(0),
        headers: {
          ...message.headers,
          [REPLAY_HEADER.id]: job.id,
          [REPLAY_HEADER.mode]: job.mode,
          [REPLAY_HEADER.sourceTopic]: message.topic,
          [REPLAY_HEADER.sourcePartition]: String(message.partition),
          [REPLAY_HEADER.sourceOffset]: message.offset,
        },
      },
    };
  }
}
