import {
  ResolvedTaskTypeOptions,
  TaskTypeOptions,
  resolveTaskTypeOptions,
} from './task-type.options';

/**
 * A kind of task: its name (what clients submit as `type`), the class-validator DTO its payload
 * must satisfy, and how it runs. The web tier validates with it; the workers run it. `P` is the
 * payload's shape, `R` the handler's result.
 */
export interface TaskType<P extends object = object, R = unknown> {
  readonly name: string;
  /** A class with class-validator decorators; unknown payload fields are refused. */
  readonly payload: new () => P;
  readonly options: ResolvedTaskTypeOptions;
  /** Type-level only: the result's type. */
  readonly __result?: R;
}

/** Declares a task type; bad options throw here, at start-up, naming the setting. */
export function defineTask<P extends object, R = unknown>(definition: {
  name: string;
  payload: new () => P;
  options?: TaskTypeOptions;
}): TaskType<P, R> {
  return Object.freeze({
    name: definition.name,
    payload: definition.payload,
    options: resolveTaskTypeOptions(definition.name, definition.options),
  });
}
