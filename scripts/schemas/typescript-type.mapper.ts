import { jsDoc } from './js-doc';

/** A TypeScript declaration emitted for an Avro named type (record → interface, enum → type). */
export interface NamedDeclaration {
  readonly name: string;
  /** The declaration's source, including its doc comment. Identical text ⇒ identical type. */
  readonly source: string;
}

/** Names generated files already use: a record or enum called this would shadow or clash. */
const RESERVED_TYPE_NAMES = new Set([
  'AvroRecordSchema',
  'TroupeEvent',
  'createEvent',
  'topicNames',
  'schema',
  'Buffer',
  'Record',
  'Readonly',
  'any',
  'unknown',
  'never',
  'object',
  'symbol',
  'bigint',
  'undefined',
  'void',
  'number',
  'string',
  'boolean',
]);

const PRIMITIVES: Readonly<Record<string, string>> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

/** A mapped type and whether it is a top-level union (needs parentheses as an array item). */
interface Mapped {
  readonly ts: string;
  readonly union: boolean;
}

type AvroNode = Record<string, unknown>;

/**
 * Maps Avro schema JSON (already validated by avsc) to TypeScript types, in document order as
 * Avro requires (a named type is defined before it is referenced). Named records and enums
 * become declarations collected in {@link declarations}, named by their short name, which
 * must therefore be unique within one schema. Logical types map like their underlying type,
 * since the codec does not convert them.
 */
export class TypeScriptTypeMapper {
  readonly declarations: NamedDeclaration[] = [];
  /** Short name of each named type seen so far → its TypeScript type. */
  private readonly named = new Map<string, string>();

  map(type: unknown): string {
    return this.mapNode(type).ts;
  }

  private mapNode(type: unknown): Mapped {
    if (typeof type === 'string') return { ts: this.mapName(type), union: false };
    if (Array.isArray(type)) return this.mapUnion(type);
    if (type === null || typeof type !== 'object')
      throw new Error(`not an Avro type: ${JSON.stringify(type)}`);
    const node = type as AvroNode;
    switch (node.type) {
      case 'record':
      case 'error':
        return { ts: this.declareRecord(node), union: false };
      case 'enum':
        return { ts: this.declareEnum(node), union: false };
      case 'fixed':
        return { ts: this.register(node.name, 'Buffer'), union: false };
      case 'array':
        return { ts: `readonly ${this.arrayItem(this.mapNode(node.items))}[]`, union: false };
      case 'map':
        return { ts: `Readonly<Record<string, ${this.map(node.values)}>>`, union: false };
      default:
        // A primitive written as an object, possibly with a logicalType: its underlying type.
        return this.mapNode(node.type);
    }
  }

  private mapName(name: string): string {
    const primitive = PRIMITIVES[name];
    if (primitive) return primitive;
    const named = this.named.get(shortName(name));
    if (!named) throw new Error(`reference to undefined type "${name}"`);
    return named;
  }

  /** Members in schema order with duplicates (int and long are both number) removed; null last. */
  private mapUnion(members: readonly unknown[]): Mapped {
    const mapped = [...new Set(members.map((m) => this.map(m)))];
    const ordered = [...mapped.filter((m) => m !== 'null'), ...mapped.filter((m) => m === 'null')];
    return { ts: ordered.join(' | '), union: ordered.length > 1 };
  }

  private arrayItem(item: Mapped): string {
    return item.union ? `(${item.ts})` : item.ts;
  }

  private declareRecord(node: AvroNode): string {
    const name = this.register(node.name, shortName(String(node.name)));
    const fields = (
      node.fields as ReadonlyArray<{ name: string; type: unknown; doc?: string }>
    ).map((field) => `${jsDoc(field.doc)}readonly ${field.name}: ${this.map(field.type)};`);
    this.declarations.push({
      name,
      source: `${jsDoc(node.doc as string | undefined)}export interface ${name} {\n${fields.join('\n')}\n}`,
    });
    return name;
  }

  private declareEnum(node: AvroNode): string {
    const name = this.register(node.name, shortName(String(node.name)));
    const symbols = (node.symbols as string[]).map((s) => `'${s}'`).join(' | ');
    this.declarations.push({
      name,
      source: `${jsDoc(node.doc as string | undefined)}export type ${name} = ${symbols};`,
    });
    return name;
  }

  private register(avroName: unknown, ts: string): string {
    const short = shortName(String(avroName));
    if (this.named.has(short)) throw new Error(`two named types share the short name "${short}"`);
    if (RESERVED_TYPE_NAMES.has(short))
      throw new Error(`type name "${short}" is reserved in generated code`);
    this.named.set(short, ts);
    return ts;
  }
}

function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}
