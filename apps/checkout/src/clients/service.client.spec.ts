import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { ServiceClient } from './service.client';
import { UpstreamError } from './upstream.error';

describe('ServiceClient', () => {
  let server: http.Server;
  let baseUrl: string;
  const seen: Array<{
    method?: string;
    url?: string;
    headers: http.IncomingHttpHeaders;
    body: string;
  }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        const reply = (status: number, text: string) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(text);
        if (req.url === '/found') return reply(200, '{"ok":true}');
        if (req.url === '/missing') return reply(404, '{"status":404}');
        if (req.url === '/broken') return reply(503, '{}');
        if (req.url === '/refused') return reply(400, '{"title":"Bad Request"}');
        if (req.url === '/slow') return void setTimeout(() => reply(200, '{}'), 500);
        reply(200, 'not json');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads JSON, and null for 404', async () => {
    const client = new ServiceClient('svc', baseUrl, 1000);
    expect(await client.get('/found')).toEqual({ ok: true });
    expect(await client.get('/missing')).toBeNull();
  });

  it('returns answers below 500 of a POST and sends the body and headers', async () => {
    const client = new ServiceClient('svc', baseUrl, 1000);
    expect(await client.post('/refused', { a: 1 }, { 'idempotency-key': 'k' })).toEqual({
      status: 400,
      body: { title: 'Bad Request' },
    });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      headers: expect.objectContaining({
        'idempotency-key': 'k',
        'content-type': 'application/json',
      }),
    });
  });

  it('throws UpstreamError for 5xx, bodies that are not JSON, timeouts and refused connections', async () => {
    const client = new ServiceClient('svc', baseUrl, 200);
    await expect(client.get('/broken')).rejects.toThrow(
      new UpstreamError('svc', 'GET /broken answered 503'),
    );
    await expect(client.get('/garbage')).rejects.toThrow('not JSON');
    await expect(client.get('/slow')).rejects.toMatchObject({
      timedOut: true,
      message: 'svc: GET /slow failed: no answer within 200 ms',
    });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      new ServiceClient('down', `http://127.0.0.1:${port}`, 500).get('/x'),
    ).rejects.toMatchObject({ timedOut: false, message: 'down: GET /x failed: ECONNREFUSED' });
  });
});
