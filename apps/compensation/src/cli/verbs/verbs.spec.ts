import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { CliContext, Verb } from '../verb';
import { outboxVerb } from './outbox.verb';
import { traceVerb } from './trace.verb';

/** A stand-in compensation app: answers each request with what `answer` says, recording the requests. */
async function fakeApp(answer: (req: IncomingMessage, body: string) => [number, unknown]) {
  const seen: Array<{ method: string; url: string; auth?: string; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      const [status, json] = answer(req, body);
      res.writeHead(status, {
        'content-type': status < 400 ? 'application/json' : 'application/problem+json',
      });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function run(verb: Verb, args: string[], ctx: Partial<CliContext> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await verb.run(args, {
    url: 'http://127.0.0.1:1',
    json: false,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    ...ctx,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('troupe trace', () => {
  it('refuses bad usage with exit code 2 before asking anyone', async () => {
    for (const args of [[], ['a', 'b'], ['has space'], ['--nope', 'x']]) {
      const r = await run(traceVerb, args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err).toContain('usage: troupe trace <correlation-id>');
    }
    expect((await run(traceVerb, ['--help'])).out).toContain('exit codes');
  });

  it('sends the token, shows the 404 problem with exit code 1, and never prints the token', async () => {
    const app = await fakeApp(() => [
      404,
      { status: 404, detail: 'no flow with correlation id c-1: nothing has it' },
    ]);
    try {
      const r = await run(traceVerb, ['c-1'], { url: app.url, token: 'secret-token-123456' });
      expect(r).toEqual({
        code: 1,
        out: '',
        err: 'troupe trace: 404: no flow with correlation id c-1: nothing has it',
      });
      expect(app.seen).toEqual([
        expect.objectContaining({
          method: 'GET',
          url: '/trace/c-1',
          auth: 'Bearer secret-token-123456',
        }),
      ]);
    } finally {
      await app.close();
    }
  });

  it('exits 3 when the app cannot be reached or its dependency failed', async () => {
    expect((await run(traceVerb, ['c-1'])).err).toContain(
      'cannot reach the compensation app at http://127.0.0.1:1',
    );
    expect((await run(traceVerb, ['c-1'])).code).toBe(3);
    const app = await fakeApp(() => [503, { detail: 'kafka is away' }]);
    try {
      expect(await run(traceVerb, ['c-1'], { url: app.url })).toMatchObject({
        code: 3,
        err: expect.stringContaining('kafka is away'),
      });
    } finally {
      await app.close();
    }
  });
});

describe('troupe outbox', () => {
  it('checks the release selection before asking anyone (exit 2)', async () => {
    for (const args of [
      ['release'],
      ['release', 'orders'],
      ['release', 'orders', '--all', '--ids', 'x'],
      ['release', 'orders', '--ids', 'not-a-uuid'],
      ['purge'],
      ['--all'],
      ['--limit', 'many'],
    ]) {
      expect({ args, code: (await run(outboxVerb, args)).code }).toEqual({ args, code: 2 });
    }
  });

  it('sends the selection of a release and reports what the service released', async () => {
    const id = '01a23268-61de-752b-b005-abcf25fb6540';
    const app = await fakeApp(() => [200, { service: 'orders', released: 1 }]);
    try {
      const r = await run(
        outboxVerb,
        ['release', 'orders', '--ids', `${id},01a23268-61de-752b-b005-abcf25fb6541`],
        { url: app.url },
      );
      expect(r.code).toBe(0);
      expect(r.out).toContain(
        'orders: released 1 quarantined row(s) (1 of the ids given were not quarantined)',
      );
      expect(app.seen[0]).toMatchObject({
        method: 'POST',
        url: '/outbox/orders/release',
        body: JSON.stringify({ ids: [id, '01a23268-61de-752b-b005-abcf25fb6541'] }),
      });
    } finally {
      await app.close();
    }
  });

  it('filters one service, and says when there is no such service (exit 1)', async () => {
    const view = {
      services: [
        {
          service: 'orders',
          reachable: true,
          unpublished: 2,
          oldestUnpublishedAgeSeconds: 1.5,
          quarantined: 0,
          quarantinedRows: [],
        },
        { service: 'tasks', reachable: false, problem: 'tasks did not answer' },
      ],
      totals: { unpublished: 2, quarantined: 0, oldestUnpublishedAgeSeconds: 1.5 },
    };
    const app = await fakeApp(() => [200, view]);
    try {
      const all = await run(outboxVerb, [], { url: app.url });
      expect(all.out).toMatch(/orders\s+2\s+1\.50 s\s+0/);
      expect(all.out).toMatch(/tasks\s+\?\s+\?\s+\?\s+unreachable: tasks did not answer/);
      const one = await run(outboxVerb, ['--service', 'orders'], { url: app.url, json: true });
      expect(JSON.parse(one.out)).toEqual({ services: [view.services[0]] });
      expect(await run(outboxVerb, ['--service', 'nobody'], { url: app.url })).toMatchObject({
        code: 1,
        err: expect.stringContaining('no service named nobody'),
      });
    } finally {
      await app.close();
    }
  });
});
