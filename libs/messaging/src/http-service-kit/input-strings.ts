/** One problem of a request's input, as the validation problems list them. */
export interface InputProblem {
  field: string;
  problems: string[];
}

/** Deeper JSON than this is refused before anything walks it (no request of ours nests that deep). */
export const MAX_INPUT_DEPTH = 32;

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The rule every string of every request obeys, whatever the endpoint: no NUL (PostgreSQL's
 * text cannot hold it, so it failed as a 500 at the INSERT) and no unpaired UTF-16 surrogate
 * (JSON can spell one, `"\ud800"`, but UTF-8 cannot: it was silently stored as U+FFFD, or
 * refused by jsonb). Object keys obey it too. Returns one problem per offending field, named by
 * its dotted path under `root` (`items.0.sku`), and refuses nesting deeper than MAX_INPUT_DEPTH.
 */
export function unsafeStringProblems(value: unknown, root = ''): InputProblem[] {
  const problems: InputProblem[] = [];
  walk(value, root, 0, problems);
  return problems;
}

function walk(value: unknown, path: string, depth: number, out: InputProblem[]): void {
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    if (problem) out.push({ field: path || '(value)', problems: [problem] });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_INPUT_DEPTH) {
    out.push({
      field: path || '(body)',
      problems: [`must not nest deeper than ${MAX_INPUT_DEPTH} levels`],
    });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    const keyProblem = stringProblem(key);
    if (keyProblem)
      out.push({ field: JSON.stringify(childPath), problems: [`the name ${keyProblem}`] });
    walk(child, childPath, depth + 1, out);
  }
}

function stringProblem(text: string): string | undefined {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return `must not contain NUL (U+0000), found at index ${nul}`;
  const lone = UNPAIRED_SURROGATE.exec(text);
  if (lone)
    return `must be well-formed Unicode: unpaired surrogate U+${lone[0].charCodeAt(0).toString(16).toUpperCase()} at index ${lone.index}`;
  return undefined;
}
