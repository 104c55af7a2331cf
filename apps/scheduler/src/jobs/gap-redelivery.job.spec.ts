import { NonRetriableError, RetriableError } from '@troupe/messaging';
import type { JobContext } from '@troupe/scheduling';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { CompensationService, GapReplayReport } from '../clients/compensation.client';
import { SchedulerConfig } from '../scheduler.config';
import { GapRedeliveryJob } from './gap-redelivery.job';

/** The job against a stand-in of the compensation app's POST /gaps/replay (a real HTTP server). */
describe('GapRedeliveryJob', () => {
  let server: Server;
  let url: string;
  let answer: { status: number; body: unknown };
  const requests: Array<{ method?: string; path?: string; authorization?: string; body: string }> =
    [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        requests.push({
          method: req.method,
          path: req.url,
          authorization: req.headers.authorization,
          body,
        });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => (requests.length = 0));

  const job = (settings: Partial<SchedulerConfig>) => {
    const config = Object.assign(new SchedulerConfig(), { COMPENSATION_URL: url, ...settings });
    return new GapRedeliveryJob(new CompensationService(config));
  };
  const context = () => {
    const findings: Record<string, number> = {};
    const logs: string[] = [];
    const ctx = {
      job: 'gap-redelivery',
      runId: 'r',
      scheduledAt: new Date(),
      trigger: 'schedule',
      signal: new AbortController().signal,
      report: (finding: string, value: number) => (findings[finding] = value),
      log: (level: string, message: string) => logs.push(`${level} ${message}`),
    } as unknown as JobContext;
    return { ctx, findings, logs };
  };

  it('asks the compensation app to replay the gaps with the admin token, and reports what it found, replayed and gave up', async () => {
    const report: GapReplayReport = {
      window: { from: '2026-12-01T10:00:00.000Z', to: '2026-12-01T10:55:00.000Z' },
      gaps: [
        { group: 'payments', topic: 'orders.order.events', missing: 3, givenUp: [] },
        { group: 'inventory', topic: 'orders.order.events', missing: 2, givenUp: ['e-1'] },
      ],
      replays: [{ group: 'payments', topic: 'orders.order.events', jobId: 'j-1', events: 3 }],
      errors: [{ group: 'shipping', message: 'shipping did not answer' }],
    };
    answer = { status: 200, body: report };
    const { ctx, findings, logs } = context();
    await job({ ADMIN_TOKEN: 'a-token-of-sixteen-chars' }).run(ctx);
    expect(requests).toEqual([
      {
        method: 'POST',
        path: '/gaps/replay',
        authorization: 'Bearer a-token-of-sixteen-chars',
        body: '{}',
      },
    ]);
    expect(findings).toEqual({
      'gap-events': 5,
      'replayed-events': 3,
      'given-up-events': 1,
      'groups-not-checked': 1,
    });
    expect(logs).toEqual([
      'warn group inventory: 1 event(s) of orders.order.events still not applied after the replay limit',
      'warn group shipping could not be checked for gaps: shipping did not answer',
    ]);
  });

  it('calls nothing without an admin token, and says so', async () => {
    const { ctx, findings, logs } = context();
    await job({ ADMIN_TOKEN: undefined }).run(ctx);
    expect(requests).toEqual([]);
    expect(findings).toEqual({ 'skipped-no-token': 1 });
    expect(logs[0]).toMatch(/^warn gap re-delivery skipped: ADMIN_TOKEN is not set/);
  });

  it('fails the run for good on a refusal (a wrong token), and retriably when the app does not answer', async () => {
    answer = { status: 401, body: { status: 401, detail: 'the admin token is not valid' } };
    await expect(
      job({ ADMIN_TOKEN: 'a-token-of-sixteen-chars' }).run(context().ctx),
    ).rejects.toThrow(NonRetriableError);
    const gone = job({
      ADMIN_TOKEN: 'a-token-of-sixteen-chars',
      COMPENSATION_URL: 'http://127.0.0.1:9',
    });
    await expect(gone.run(context().ctx)).rejects.toThrow(RetriableError);
  });
});
