import { plainToInstance } from 'class-transformer';
import { ValidationError, validate } from 'class-validator';
import type { TaskType } from '../definition/task-type';
import type { FieldError } from './field-error';

/**
 * Checks a payload against its type's class-validator DTO (unknown fields refused) and against
 * what PostgreSQL's jsonb cannot hold (NUL characters). Field names are prefixed with
 * `payload.`; an empty list means valid.
 */
export async function payloadErrors(type: TaskType, payload: unknown): Promise<FieldError[]> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    return [{ field: 'payload', problems: ['must be a JSON object'] }];
  const nul = nulPaths(payload, 'payload');
  if (nul.length > 0)
    return nul.map((field) => ({ field, problems: ['must not contain NUL characters'] }));
  const instance = plainToInstance(type.payload, payload);
  const errors = await validate(instance as object, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  return flatten(errors, 'payload');
}

/** Paths of strings (values or keys) holding U+0000, which jsonb rejects. */
export function nulPaths(value: unknown, path: string): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nulPaths(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) =>
      key.includes('\u0000') ? [path] : nulPaths(item, `${path}.${key}`),
    );
  return [];
}

function flatten(errors: ValidationError[], prefix: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = `${prefix}.${error.property}`;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
