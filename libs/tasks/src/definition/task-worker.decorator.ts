import { SetMetadata } from '@nestjs/common';
import type { TaskType } from './task-type';

export const TASK_WORKER = Symbol('troupe:task-worker');

/**
 * Marks a provider as the handler of a task type (it implements TaskHandler), by the type or
 * its name (types built from configuration are named). Only writes metadata; the tasks module
 * finds the providers at bootstrap and matches them to its `types`.
 */
export function TaskWorker(type: TaskType | string): ClassDecorator {
  return SetMetadata(TASK_WORKER, typeof type === 'string' ? type : type.name);
}
