import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureServiceHttp } from '@troupe/messaging';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { CheckoutConfig } from '../checkout.config';
import { BasicServices } from '../clients/basic-services.client';
import { CheckoutService } from '../domain/checkout.service';
import { CheckoutController } from './checkout.controller';

/** POST /checkout as a client sees it, against a stand-in orders service that behaves per customer. */
describe('CheckoutController (gateway answers)', () => {
  let orders: http.Server;
  let ordersUrl: string;
  const keysSeen: Array<string | undefined> = [];

  beforeAll(async () => {
    orders = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const { customerId } = JSON.parse(body || '{}') as { customerId?: string };
        keysSeen.push(req.headers['idempotency-key'] as string | undefined);
        if (customerId === 'slow') return void setTimeout(() => res.end('{}'), 1_000);
        if (customerId === 'busy')
          return void res.writeHead(503, { 'retry-after': '7' }).end('{"status":503}');
        if (customerId === 'broken') return void res.writeHead(500).end('{}');
        res
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ orderId: 'o-1', status: 'PENDING' }));
      });
    });
    await new Promise<void>((resolve) => orders.listen(0, '127.0.0.1', resolve));
    ordersUrl = `http://127.0.0.1:${(orders.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    orders.closeAllConnections();
    await new Promise((resolve) => orders.close(resolve));
  });

  async function checkout(url: string): Promise<INestApplication> {
    const config = Object.assign(new CheckoutConfig(), {
      ORDERS_URL: url,
      UPSTREAM_TIMEOUT_MS: 200,
    });
    const moduleRef = await Test.createTestingModule({
      controllers: [CheckoutController],
      providers: [{ provide: CheckoutConfig, useValue: config }, BasicServices, CheckoutService],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false, bodyParser: false });
    configureServiceHttp(app);
    return app.init();
  }
  const order = (customerId: string) => ({
    customerId,
    items: [{ sku: 's', quantity: 1, unitPriceCents: 1 }],
  });

  it("forwards the client's Idempotency-Key, or one it makes up, and returns it", async () => {
    const app = await checkout(ordersUrl);
    try {
      const own = await request(app.getHttpServer())
        .post('/checkout')
        .set('Idempotency-Key', 'k-1')
        .send(order('c'));
      expect(own.status).toBe(202);
      expect(own.headers['idempotency-key']).toBe('k-1');
      expect(keysSeen.at(-1)).toBe('k-1');

      const made = await request(app.getHttpServer()).post('/checkout').send(order('c'));
      expect(made.status).toBe(202);
      expect(made.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
      expect(keysSeen.at(-1)).toBe(made.headers['idempotency-key']);
    } finally {
      await app.close();
    }
  });

  it.each([
    [
      'slow',
      504,
      '1',
      /no answer within 200 ms\. The request may have taken effect\. Repeat the request with Idempotency-Key k-2/,
    ],
    ['busy', 503, '7', /answered 503\. The request may have taken effect\. Repeat/],
    ['broken', 502, undefined, /answered 500/],
  ])(
    'answers a %s orders service with %i, Retry-After and the key to repeat with',
    async (customer, status, retryAfter, detail) => {
      const app = await checkout(ordersUrl);
      try {
        const response = await request(app.getHttpServer())
          .post('/checkout')
          .set('Idempotency-Key', 'k-2')
          .send(order(customer));
        expect(response.status).toBe(status);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.headers['retry-after']).toBe(retryAfter);
        expect(response.headers['idempotency-key']).toBe('k-2');
        expect(response.body).toMatchObject({
          status,
          idempotencyKey: 'k-2',
          detail: expect.stringMatching(detail),
        });
      } finally {
        await app.close();
      }
    },
  );

  it('answers 503 with Retry-After when the orders service refuses connections (nothing was placed)', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const app = await checkout(`http://127.0.0.1:${port}`);
    try {
      const response = await request(app.getHttpServer()).post('/checkout').send(order('c'));
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.body.detail).toMatch(
        /ECONNREFUSED\. Repeat the request with Idempotency-Key [0-9a-f-]{36}/,
      );
      expect(response.body.detail).not.toMatch(/may have taken effect/);
    } finally {
      await app.close();
    }
  });

  it('refuses an Idempotency-Key orders would refuse, naming the header', async () => {
    const app = await checkout(ordersUrl);
    try {
      const before = keysSeen.length;
      const response = await request(app.getHttpServer())
        .post('/checkout')
        .set('Idempotency-Key', 'k'.repeat(256))
        .send(order('c'));
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'Idempotency-Key', problems: ['must be 1 to 255 visible ASCII characters'] },
      ]);
      expect(keysSeen.length).toBe(before);
    } finally {
      await app.close();
    }
  });
});
