/** A JSDoc block for an Avro `doc`, or nothing. `*\/` in the text cannot end the comment early. */
export function jsDoc(doc: string | undefined): string {
  if (!doc) return '';
  const lines = doc.replace(/\*\//g, '*\\/').split('\n');
  return lines.length === 1
    ? `/** ${lines[0]} */\n`
    : `/**\n${lines.map((l) => ` * ${l}`).join('\n')}\n */\n`;
}
