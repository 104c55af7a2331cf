import {
  ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { ValidatorOptions } from 'class-validator';
import { InputProblem, unsafeStringProblems } from './input-strings';
import { nestedShapeErrors } from './nested-shape';

/**
 * Validates and transforms request bodies, params and queries against their DTO classes, for
 * every endpoint of every app the same way:
 * - every string (and object key) of the input is well-formed Unicode without NUL, and the
 *   input nests at most 32 levels (see unsafeStringProblems);
 * - a body is a JSON object, and a nested object (@ValidateNested) is an object, not an array;
 * - unknown fields are refused; each failure names the field (dotted path for nested ones).
 * Failures are 400s whose problem details list the fields.
 */
export class TroupeValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => badRequest(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const unsafe = unsafeStringProblems(
      value,
      typeof value === 'object' ? '' : (metadata.data ?? ''),
    );
    if (unsafe.length > 0) throw badRequest(unsafe);
    if (
      metadata.type === 'body' &&
      metadata.metatype &&
      this.toValidate(metadata) &&
      Array.isArray(value)
    )
      throw badRequest([{ field: '(body)', problems: ['must be a JSON object, not an array'] }]);
    return super.transform(value, metadata);
  }

  protected override async validate(
    object: object,
    options?: ValidatorOptions,
  ): Promise<ValidationError[]> {
    // The shape first: what class-validator says about the fields of an array it took for an object is noise.
    const shape = nestedShapeErrors(object);
    return shape.length > 0 ? shape : super.validate(object, options);
  }
}

export function troupeValidationPipe(): ValidationPipe {
  return new TroupeValidationPipe();
}

function badRequest(errors: InputProblem[]): BadRequestException {
  return new BadRequestException({ error: 'Bad Request', errors });
}

function flatten(errors: ValidationError[], prefix = ''): InputProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
