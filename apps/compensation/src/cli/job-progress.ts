import { callApp } from './compensation-client';
import { EXIT } from './exit-codes';
import { CliContext } from './verb';

interface JobView {
  id: string;
  kind: string;
  group: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  expected: number;
  produced: number;
  quarantined: number;
  error: string | null;
}

/**
 * Follows a job until it ends: a bar redrawn in place on a terminal, else a progress line every
 * `lineEveryMs`. The exit code: 0 done, 1 failed or cancelled.
 */
export async function followJob(ctx: CliContext, id: string, options: { tty: boolean; pollMs?: number; lineEveryMs?: number }): Promise<number> {
  const started = Date.now();
  let lastLine = 0;
  for (;;) {
    const job = await callApp<JobView>(ctx, 'GET', `replays/${id}`);
    const handled = job.produced + job.quarantined;
    const share = job.expected ? Math.min(1, handled / job.expected) : 1;
    if (job.status !== 'running') {
      if (options.tty && !ctx.json) process.stderr.write('\n');
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (ctx.json) ctx.out(JSON.stringify(job));
      else
        ctx.out(
          `${job.kind} ${job.id} ${job.status}: ${job.produced} sent to ${job.group}${job.quarantined ? `, ${job.quarantined} quarantined` : ''} (followed ${seconds} s)${job.error ? `: ${job.error}` : ''}`,
        );
      return job.status === 'done' ? EXIT.ok : EXIT.failed;
    }
    if (!ctx.json) {
      const text = `${job.kind} ${id.slice(0, 8)}: ${handled}/${job.expected} (${Math.round(share * 100)}%)`;
      if (options.tty) {
        const width = 30;
        const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
        process.stderr.write(`\r[${bar}] ${text}`);
      } else if (Date.now() - lastLine >= (options.lineEveryMs ?? 2000)) {
        ctx.err(text);
        lastLine = Date.now();
      }
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
}
