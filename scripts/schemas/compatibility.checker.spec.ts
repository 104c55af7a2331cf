import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkCompatibility, formatCompatibilityResult } from './compatibility.checker';
import { parseLocalSchema } from './local-schema.parser';

/** A stand-in registry answering like Confluent (404 for unknown subjects, optional messages). */
function fakeRegistry(routes: Record<string, { status: number; body: unknown }>) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const key = `${req.method} ${req.url?.replace(/^\/apis\/ccompat\/v7/, '')}`;
      requests.push(body ? `${key} ${body}` : key);
      const route = routes[key] ?? {
        status: 404,
        body: { error_code: 40401, message: 'Subject not found' },
      };
      res
        .writeHead(route.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(route.body));
    });
  });
  return { server, requests };
}

const schemaOf = (name: string, idType: string) =>
  parseLocalSchema({
    sourcePath: `schemas/t/${name}.avsc`,
    text: JSON.stringify({
      type: 'record',
      name,
      namespace: 'troupe.t',
      'troupe.aggregate': 'x',
      fields: [{ name: 'id', type: idType }],
    }),
  });

describe('checkCompatibility', () => {
  const registered = JSON.stringify({
    type: 'record',
    name: 'Old',
    namespace: 'troupe.t',
    fields: [{ name: 'id', type: 'string' }],
  });
  const latest = (subject: string) =>
    `GET /subjects/${encodeURIComponent(subject)}/versions/latest`;
  const compat = (subject: string) =>
    `POST /compatibility/subjects/${encodeURIComponent(subject)}/versions/latest?verbose=true`;
  const { server, requests } = fakeRegistry({
    [latest('t.x.events-troupe.t.Old')]: {
      status: 200,
      body: { id: 7, version: 3, schema: registered },
    },
    [compat('t.x.events-troupe.t.Old')]: { status: 200, body: { is_compatible: false } },
    'GET /config/t.x.events-troupe.t.Old?defaultToGlobal=true': {
      status: 200,
      body: { compatibilityLevel: 'BACKWARD' },
    },
    [latest('t.x.events-troupe.t.Told')]: {
      status: 200,
      body: { id: 8, version: 1, schema: registered },
    },
    [compat('t.x.events-troupe.t.Told')]: {
      status: 200,
      body: { is_compatible: false, messages: ['the registry says why'] },
    },
  });
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/apis/ccompat/v7/`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('reports an unregistered subject as new, without asking about compatibility', async () => {
    const [result] = await checkCompatibility(url, [schemaOf('Fresh', 'string')]);
    expect(result).toEqual({
      subject: 't.x.events-troupe.t.Fresh',
      sourcePath: 'schemas/t/Fresh.avsc',
      status: 'new',
    });
    expect(requests.some((r) => r.startsWith('POST'))).toBe(false);
    expect(formatCompatibilityResult(result)).toBe(
      'new           t.x.events-troupe.t.Fresh (nothing registered yet)',
    );
  });

  it('explains an incompatibility the registry gives no reason for, using the subject’s level', async () => {
    const [result] = await checkCompatibility(url, [schemaOf('Old', 'int')]);
    expect(result).toMatchObject({ status: 'incompatible', registeredVersion: 3 });
    expect(result.reason).toBe(
      'BACKWARD: the new schema cannot read data written with registered version 3: id: cannot read "string" as "int"',
    );
    const sent = requests.find((r) =>
      r.startsWith('POST /compatibility/subjects/t.x.events-troupe.t.Old'),
    );
    expect(JSON.parse(sent?.split(' ').slice(2).join(' ') ?? '{}')).toEqual({
      schema: JSON.stringify(schemaOf('Old', 'int').schema),
    });
    expect(formatCompatibilityResult(result)).toMatch(
      /^INCOMPATIBLE {2}t\.x\.events-troupe\.t\.Old \(with version 3, schemas\/t\/Old\.avsc\): BACKWARD: /,
    );
  });

  it('uses the registry’s own messages when it gives them', async () => {
    const [result] = await checkCompatibility(url, [schemaOf('Told', 'int')]);
    expect(result.reason).toBe('the registry says why');
  });
});
