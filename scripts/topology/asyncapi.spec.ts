import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import * as avro from 'avsc';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { DEPLOYED_APPS } from './app-catalog';
import { ASYNCAPI_FILE, REPO_ROOT } from './generated-topology.builder';
import { buildTopology } from './topology.model';

// The AsyncAPI Initiative's own JSON Schema of the 3.0.0 document (bundled, internal $refs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const asyncApiSchema = require('@asyncapi/specs/schemas/3.0.0-without-$id.json') as Record<
  string,
  unknown
>;

const document = parse(fs.readFileSync(path.join(REPO_ROOT, ASYNCAPI_FILE), 'utf8')) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
const topology = buildTopology(DEPLOYED_APPS);

function resolve(ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>(
      (node, key) =>
        (node as Record<string, unknown> | undefined)?.[
          key.replace(/~1/g, '/').replace(/~0/g, '~')
        ],
      document,
    );
}

function refs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, found));
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refs(value, found);
    }
  return found;
}

describe('docs/asyncapi.yaml', () => {
  it('is a valid AsyncAPI 3.0.0 document', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(asyncApiSchema);
    const valid = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const broken = JSON.parse(JSON.stringify(document));
    const [first] = Object.keys(broken.channels);
    broken.channels[first].adress = broken.channels[first].address;
    broken.operations[Object.keys(broken.operations)[0]].action = 'publish';
    expect(validate(broken)).toBe(false);
  });

  it('has a channel for every topic, and every reference resolves', () => {
    const addresses = Object.values(document.channels as Record<string, { address: string }>).map(
      (c) => c.address,
    );
    expect(addresses.sort()).toEqual(topology.topics.map((t) => t.name).sort());
    const unresolved = refs(document).filter((ref) => resolve(ref) === undefined);
    expect(unresolved).toEqual([]);
  });

  it('carries each event as its Avro schema, which Avro accepts', () => {
    const messages = Object.values(
      document.components.messages as Record<
        string,
        { name: string; payload: { schemaFormat: string; schema: unknown } }
      >,
    );
    const types = new Set(topology.topics.flatMap((t) => t.events.map((e) => e.eventType)));
    expect(messages.map((m) => m.name).sort()).toEqual([...types].sort());
    for (const message of messages) {
      expect(message.payload.schemaFormat).toMatch(/^application\/vnd\.apache\.avro/);
      expect(() => avro.Type.forSchema(message.payload.schema as avro.Schema)).not.toThrow();
    }
  });

  it("names each receiving group in its operation's Kafka binding", () => {
    const receive = Object.values(
      document.operations as Record<
        string,
        { action: string; bindings?: { kafka: { groupId: { enum?: string[]; pattern?: string } } } }
      >,
    ).filter((o) => o.action === 'receive');
    const groups = new Set(
      receive.map((o) => o.bindings!.kafka.groupId.enum?.[0] ?? o.bindings!.kafka.groupId.pattern),
    );
    expect(groups).toEqual(
      new Set([
        'inventory',
        'notifications',
        'orders',
        'payments',
        'shipping',
        '^notifications-feed\\..+$',
      ]),
    );
  });
});
