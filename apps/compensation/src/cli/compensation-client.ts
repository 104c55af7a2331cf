import { CliContext } from './verb';
import { CliFailure, EXIT } from './exit-codes';

/**
 * The compensation app's API as the verbs call it. A non-2xx answer becomes a CliFailure with
 * the problem's detail: 4xx bad input (exit 2), 503 a dependency away (exit 3), else exit 1. A
 * connection that fails is exit 3, naming the URL. The token goes only into the header.
 */
export async function callApp<T>(ctx: CliContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const url = new URL(path, ctx.url.endsWith('/') ? ctx.url : `${ctx.url}/`);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(ctx.token ? { authorization: `Bearer ${ctx.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    const { cause } = error as { cause?: { code?: string; message?: string } };
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new CliFailure(`cannot reach the compensation app at ${ctx.url} (${reason}); set --url or TROUPE_COMPENSATION_URL`, EXIT.unreachable);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    throw new CliFailure(`${method} ${url.pathname} answered ${response.status} with a body that is not JSON (is ${ctx.url} the compensation app?)`, EXIT.failed);
  }
  if (response.ok) return parsed as T;
  const problem = parsed as { detail?: string; title?: string; errors?: Array<{ field: string; problems: string[] }> } | null;
  const fields = problem?.errors?.map((e) => `${e.field}: ${e.problems.join('; ')}`).join('\n  ');
  const detail = `${problem?.detail ?? problem?.title ?? response.statusText}${fields ? `\n  ${fields}` : ''}`;
  if (response.status === 401 || response.status === 403)
    throw new CliFailure(`refused (${response.status}): ${detail}; give the admin token with --token or TROUPE_ADMIN_TOKEN`, EXIT.usage);
  if (response.status === 503) throw new CliFailure(`unavailable: ${detail}`, EXIT.unreachable);
  if (response.status >= 400 && response.status < 500 && response.status !== 409) throw new CliFailure(detail, EXIT.usage);
  throw new CliFailure(`the compensation app answered ${response.status}: ${detail}`, EXIT.failed);
}
