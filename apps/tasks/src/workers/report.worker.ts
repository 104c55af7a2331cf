import { Inject, Injectable } from '@nestjs/common';
import { TaskContext, TaskHandler, TaskWorker } from '@troupe/tasks';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport, reportCsv } from '../domain/report.builder';
import type { ReportPayload, ReportResult } from '../domain/report.task';
import { TasksConfig } from '../tasks.config';

/**
 * Builds a report and writes it to REPORTS_DIR/<task id>.csv. Idempotent per task id: the file
 * is written aside and renamed over the final name, so a retry replaces it whole.
 */
@Injectable()
@TaskWorker('report')
export class ReportWorker implements TaskHandler<ReportPayload, ReportResult> {
  constructor(@Inject(TasksConfig) private readonly config: TasksConfig) {}

  async run(payload: ReportPayload, ctx: TaskContext): Promise<ReportResult> {
    let reported = 0;
    const summaries = await buildReport(
      payload.rows,
      payload.regions,
      payload.seed ?? 1,
      async (done) => {
        ctx.signal.throwIfAborted();
        const percent = Math.floor(done * 90);
        if (percent >= reported + 10) {
          reported = percent;
          await ctx.progress(
            percent,
            `aggregated ${Math.round(done * payload.rows)} of ${payload.rows} rows`,
          );
        }
      },
    );
    const csv = reportCsv(payload.title, summaries);
    await fs.mkdir(this.config.REPORTS_DIR, { recursive: true });
    const file = path.join(this.config.REPORTS_DIR, `${ctx.taskId}.csv`);
    const aside = `${file}.${randomUUID()}.tmp`;
    await fs.writeFile(aside, csv);
    await fs.rename(aside, file);
    await ctx.progress(100, `written to ${file}`);
    return {
      location: pathToFileURL(file).href,
      bytes: Buffer.byteLength(csv),
      rows: payload.rows,
      regions: summaries.length,
    };
  }
}
