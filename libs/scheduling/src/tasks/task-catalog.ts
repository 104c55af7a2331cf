import { SchedulingDefinitionError } from '../scheduling-definition.error';
import type { TaskRunner } from './task-context';
import type { ResolvedTaskTypeDefinition, TaskTypeDefinition } from './task-definition';

export interface CatalogTaskType {
  definition: ResolvedTaskTypeDefinition;
  runner: TaskRunner;
}

export interface DiscoveredTaskType {
  definition: TaskTypeDefinition;
  runner: TaskRunner;
  declaredBy: string;
}

const TYPE = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** The task types of one scheduler, validated; the first problem throws naming the type. */
export class TaskCatalog {
  private readonly types = new Map<string, CatalogTaskType>();

  constructor(discovered: readonly DiscoveredTaskType[]) {
    const declaredBy = new Map<string, string>();
    for (const { definition, runner, declaredBy: owner } of discovered) {
      const type = definition.type;
      const fail = (problem: string): never => {
        throw new SchedulingDefinitionError('task type', type, problem);
      };
      if (typeof type !== 'string' || !TYPE.test(type))
        fail('the type must be 1 to 100 lower-case letters, digits, ".", "_" or "-"');
      const earlier = declaredBy.get(type);
      if (earlier) fail(`the type is declared twice (by ${earlier} and by ${owner})`);
      declaredBy.set(type, owner);
      if (typeof runner?.run !== 'function') fail(`${owner} has no run(task, context) method`);
      const resolved: ResolvedTaskTypeDefinition = {
        type,
        maxAttempts: definition.maxAttempts ?? 5,
        backoff: {
          initialDelayMs: definition.backoff?.initialDelayMs ?? 1000,
          multiplier: definition.backoff?.multiplier ?? 2,
          maxDelayMs: definition.backoff?.maxDelayMs ?? 300_000,
        },
        leaseMs: definition.leaseMs ?? 30_000,
        timeoutMs: definition.timeoutMs ?? 60_000,
      };
      if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1)
        fail(`maxAttempts must be a positive integer, got ${resolved.maxAttempts}`);
      for (const [name, value] of Object.entries({
        'backoff.initialDelayMs': resolved.backoff.initialDelayMs,
        'backoff.maxDelayMs': resolved.backoff.maxDelayMs,
        leaseMs: resolved.leaseMs,
        timeoutMs: resolved.timeoutMs,
      }))
        if (!Number.isFinite(value) || value <= 0)
          fail(`${name} must be a positive number, got ${value}`);
      if (!Number.isFinite(resolved.backoff.multiplier) || resolved.backoff.multiplier < 1)
        fail(`backoff.multiplier must be at least 1, got ${resolved.backoff.multiplier}`);
      if (resolved.backoff.maxDelayMs < resolved.backoff.initialDelayMs)
        fail('backoff.maxDelayMs must not be below backoff.initialDelayMs');
      this.types.set(type, { definition: resolved, runner });
    }
  }

  get(type: string): CatalogTaskType | undefined {
    return this.types.get(type);
  }

  all(): CatalogTaskType[] {
    return [...this.types.values()];
  }

  names(): string[] {
    return [...this.types.keys()].sort();
  }
}
