import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { AvroCodec } from './avro-codec';
import { isRetriable } from './errors/troupe.error';
import { UndecodableMessageError } from './errors/undecodable-message.error';

/**
 * How the codec reads what a registry answers for a writer's schema id. A local HTTP server
 * plays the registry's GET /schemas/ids/{id} with answers Apicurio itself never gives (it
 * refuses such schemas at registration), through the real registry client library.
 */
describe('AvroCodec writer schema look-ups', () => {
  let server: http.Server;
  let url: string;
  const hits = new Map<string, number>();

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const path = request.url ?? '';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const json = (status: number, body: unknown) =>
        response
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify(body));
      if (path === '/schemas/ids/7')
        return json(200, {
          schema: JSON.stringify({
            type: 'record',
            name: 'Bad',
            fields: [{ name: 'a', type: 'int', default: 'x' }],
          }),
        });
      if (path === '/schemas/ids/8')
        return json(404, { error_code: 40403, message: 'Schema not found' });
      return json(503, { message: 'down for maintenance' });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const framed = (id: number) =>
    Buffer.concat([Buffer.from([0]), Buffer.from([0, 0, 0, id]), Buffer.from([2])]);

  it('dead-letters (non-retriable) a writer schema avsc cannot parse instead of treating it as a registry outage', async () => {
    const error = await new AvroCodec({ registryUrl: url })
      .decode(framed(7))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UndecodableMessageError);
    expect((error as UndecodableMessageError).code).toBe('undecodable.unreadable-schema');
    expect(isRetriable(error)).toBe(false);
  });

  it('remembers an unknown schema id for a while instead of asking the registry for every message', async () => {
    const codec = new AvroCodec({ registryUrl: url, unknownSchemaIdCacheMs: 60_000 });
    for (let i = 0; i < 20; i++)
      await expect(codec.decode(framed(8))).rejects.toMatchObject({
        code: 'undecodable.unknown-schema-id',
      });
    expect(hits.get('/schemas/ids/8')).toBe(1);
    const forgetful = new AvroCodec({ registryUrl: url, unknownSchemaIdCacheMs: 1 });
    await expect(forgetful.decode(framed(8))).rejects.toThrow(UndecodableMessageError);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(forgetful.decode(framed(8))).rejects.toThrow(UndecodableMessageError);
    expect(hits.get('/schemas/ids/8')).toBe(3);
  });

  it('keeps a registry that cannot be reached retriable (the client reports it as status 400)', async () => {
    const error = await new AvroCodec({ registryUrl: 'http://127.0.0.1:1' })
      .decode(framed(9))
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('registry-unavailable');
    expect(isRetriable(error)).toBe(true);
  });

  it('keeps a registry that answers 5xx retriable (never dead-letters on an outage)', async () => {
    const error = await new AvroCodec({ registryUrl: url })
      .decode(framed(9))
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('registry-unavailable');
    expect(isRetriable(error)).toBe(true);
  });
});
