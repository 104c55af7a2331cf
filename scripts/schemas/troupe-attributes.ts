/**
 * Troupe's own attributes in an `.avsc` file. Avro permits extra attributes; these tell the
 * platform where an event goes. They live on the top-level record only and never reach the
 * registry or the generated `schema` static (see {@link stripTroupeAttributes}).
 */
export const TROUPE_ATTRIBUTE_PREFIX = 'troupe.';
/** Required: the aggregate whose stream carries the event; topic `<domain>.<aggregate>.events`. */
export const AGGREGATE_ATTRIBUTE = 'troupe.aggregate';
/** Optional: the top-level non-null string field whose value is the message key. */
export const KEY_ATTRIBUTE = 'troupe.key';
export const KNOWN_TROUPE_ATTRIBUTES: readonly string[] = [AGGREGATE_ATTRIBUTE, KEY_ATTRIBUTE];

export function isTroupeAttribute(key: string): boolean {
  return key.startsWith(TROUPE_ATTRIBUTE_PREFIX);
}

/** A copy of the top-level record without `troupe.*` keys; all other keys keep their order. */
export function stripTroupeAttributes(
  record: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !isTroupeAttribute(key)));
}

/**
 * JSON paths of `troupe.*` keys below the top level. Default values are data, not schema, so
 * their keys are not searched.
 */
export function nestedTroupeAttributes(node: unknown, path = ''): string[] {
  if (Array.isArray(node))
    return node.flatMap((item, i) => nestedTroupeAttributes(item, `${path}[${i}]`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const here = `${path}/${key}`;
    if (path !== '' && isTroupeAttribute(key)) return [here];
    return key === 'default' ? [] : nestedTroupeAttributes(value, here);
  });
}
