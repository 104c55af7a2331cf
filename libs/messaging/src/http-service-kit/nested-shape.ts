import { ValidationError, ValidationTypes, getMetadataStorage } from 'class-validator';

/**
 * Where a DTO declares a nested object (@ValidateNested, with @Type), an array is refused:
 * class-validator accepts an array there and validates its elements instead, so `items: [[{…}]]`
 * passed as valid lines whose fields were all undefined. Returns class-validator errors
 * (`items` → `0`: must be an object), recursing into nested objects; `object` is the
 * transformed DTO instance.
 */
export function nestedShapeErrors(object: object): ValidationError[] {
  const rules = getMetadataStorage()
    .getTargetValidationMetadatas(object.constructor, '', true, false)
    .filter((rule) => rule.type === ValidationTypes.NESTED_VALIDATION);
  const errors: ValidationError[] = [];
  for (const property of new Set(rules.map((rule) => rule.propertyName))) {
    const value = (object as Record<string, unknown>)[property];
    const each = rules.some((rule) => rule.propertyName === property && rule.each);
    if (value === null || value === undefined) continue;
    if (!each) {
      const error = shapeError(property, value, object);
      if (error) errors.push(error);
      continue;
    }
    if (!Array.isArray(value)) continue; // @IsArray says so
    const children = value.flatMap((element, i) => shapeError(String(i), element, value) ?? []);
    if (children.length > 0) errors.push(error(property, value, object, children));
  }
  return errors;
}

function shapeError(property: string, value: unknown, target: object): ValidationError | undefined {
  if (Array.isArray(value)) {
    const e = error(property, value, target, []);
    e.constraints = { isObject: 'must be an object, not an array' };
    return e;
  }
  if (value === null || typeof value !== 'object') return undefined; // class-validator says so
  const children = nestedShapeErrors(value);
  return children.length > 0 ? error(property, value, target, children) : undefined;
}

function error(
  property: string,
  value: unknown,
  target: object,
  children: ValidationError[],
): ValidationError {
  return Object.assign(new ValidationError(), { property, value, target, children });
}
