import { Inject, Injectable } from '@nestjs/common';
import { TaskContext, TaskHandler, TaskWorker } from '@troupe/tasks';
import type { EmailBatchPayload, EmailBatchResult } from '../domain/email-batch.task';
import { EMAIL_PROVIDER, EmailProvider } from '../domain/email-provider.port';

/**
 * Sends one e-mail per recipient within the type's rate limit. Idempotent per task id: each
 * e-mail's provider key is `<task id>:<index>`, and progress checkpoints how many are sent, so
 * a retry (after a crash, say) resumes there and the provider drops the one it may resend.
 */
@Injectable()
@TaskWorker('email-batch')
export class EmailBatchWorker implements TaskHandler<EmailBatchPayload, EmailBatchResult> {
  constructor(@Inject(EMAIL_PROVIDER) private readonly provider: EmailProvider) {}

  async run(payload: EmailBatchPayload, ctx: TaskContext): Promise<EmailBatchResult> {
    const total = payload.recipients.length;
    const resumedFrom = (ctx.checkpoint as { sent?: number } | undefined)?.sent ?? 0;
    for (let i = resumedFrom; i < total; i++) {
      ctx.signal.throwIfAborted();
      await ctx.rateLimit(1);
      await this.provider.send({
        key: `${ctx.taskId}:${i}`,
        taskId: ctx.taskId,
        to: payload.recipients[i],
        subject: payload.subject,
        body: payload.body,
      });
      await ctx.progress(((i + 1) / total) * 100, `sent ${i + 1} of ${total}`, { sent: i + 1 });
    }
    return { sent: total, resumedFrom };
  }
}
