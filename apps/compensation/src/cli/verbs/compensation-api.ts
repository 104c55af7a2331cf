import type { CliContext } from '../verb';

/** What a verb gets back from the compensation app: its JSON, or an exit code and a message for the operator. */
export type ApiResult<T> = { ok: true; body: T } | { ok: false; exitCode: 1 | 3; message: string };

/**
 * One request to the compensation app with the operator's token. A refusal by the app (a
 * problem+json 4xx) is exit code 1 with the app's own detail; an app that does not answer, or
 * whose dependency failed (502, 503, 504), is 3. The token is sent, never shown.
 */
export async function callCompensation<T>(
  ctx: CliContext,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(`${ctx.url.replace(/\/+$/, '')}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(ctx.token ? { authorization: `Bearer ${ctx.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const cause = fetchFailure(error);
    return {
      ok: false,
      exitCode: 3,
      message: `cannot reach the compensation app at ${ctx.url} (${cause}); is it running? (--url or TROUPE_COMPENSATION_URL)`,
    };
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.ok) return { ok: true, body: parsed as T };
  const detail =
    (parsed as { detail?: string } | undefined)?.detail ??
    (text.slice(0, 300) || response.statusText);
  const hint = response.status === 401 ? ' (pass --token or set TROUPE_ADMIN_TOKEN)' : '';
  return {
    ok: false,
    exitCode: response.status >= 502 ? 3 : 1,
    message: `${response.status}: ${detail}${hint}`,
  };
}

/** `--name value` / `--name=value` options and positional arguments; flags are options without a value. */
export function parseArgs(
  args: readonly string[],
  valued: readonly string[],
  flags: readonly string[],
) {
  const options = new Map<string, string | true>();
  const positional: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (flags.includes(name) && inline === undefined) options.set(name, true);
    else if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || value === '') problems.push(`--${name} needs a value`);
      else options.set(name, value);
    } else problems.push(`unknown option --${name}`);
  }
  return { options, positional, problems };
}

/** Why fetch() got no answer: the socket error's code (ECONNREFUSED, ...), else what it says. */
function fetchFailure(error: unknown): string {
  const { cause, name, message } = error as Error & { cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError') return 'timed out';
  return cause?.code ?? cause?.message ?? message;
}
