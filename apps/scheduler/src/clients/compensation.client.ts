import { Injectable } from '@nestjs/common';
import { NonRetriableError } from '@troupe/messaging';
import { SchedulerConfig } from '../scheduler.config';
import { ServiceClient } from './service.client';

/** What the compensation app answers to POST /gaps/replay (the part the scheduler reads). */
export interface GapReplayReport {
  window: { from: string; to: string };
  gaps: Array<{ group: string; topic: string; missing: number; givenUp: string[] }>;
  replays: Array<{ group: string; topic: string; jobId: string; events: number }>;
  errors: Array<{ group: string; message: string }>;
}

/** The compensation app's API as the scheduler's jobs use it (Authorization: the platform's admin token). */
@Injectable()
export class CompensationService {
  private readonly client: ServiceClient;

  constructor(private readonly config: SchedulerConfig) {
    this.client = new ServiceClient(
      'compensation',
      config.COMPENSATION_URL,
      config.GAP_CHECK_TIMEOUT_MS,
    );
  }

  /** Whether there is a token to call it with (without one, it refuses every call). */
  get enabled(): boolean {
    return Boolean(this.config.ADMIN_TOKEN);
  }

  /**
   * Finds the events each group has not applied after the compensation app's grace period and
   * replays them to that group (each event at most GAP_REPLAY_MAX_ATTEMPTS times there).
   */
  async replayGaps(signal?: AbortSignal): Promise<GapReplayReport> {
    const answer = await this.client.request<GapReplayReport>('POST', '/gaps/replay', {
      body: {},
      headers: { authorization: `Bearer ${this.config.ADMIN_TOKEN}` },
      signal,
    });
    if (answer.status !== 200)
      throw new NonRetriableError(
        `compensation: POST /gaps/replay answered ${answer.status}: ${JSON.stringify(answer.body)}`,
        { code: 'upstream.refused' },
      );
    return answer.body;
  }
}
