import { Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import type { TaskTypeDefinition } from './task-definition';

export const TASK_HANDLER = Symbol('troupe:task-handler');

/**
 * Declares a provider class (implementing TaskRunner) as the runner of one task type:
 *
 * ```ts
 * @TaskHandler({ type: 'cancel-stuck-order', maxAttempts: 5, backoff: { initialDelayMs: 5000 } })
 * export class CancelStuckOrderTask implements TaskRunner<{ orderId: string }> { ... }
 * ```
 *
 * Only metadata is written here; the scheduler finds the runners at start-up.
 */
export function TaskHandler(definition: TaskTypeDefinition): ClassDecorator {
  return applyDecorators(Injectable(), SetMetadata(TASK_HANDLER, definition));
}
