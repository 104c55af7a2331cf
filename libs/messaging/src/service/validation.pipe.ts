import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/**
 * Validates and transforms request bodies, params and queries against their DTO classes.
 * Unknown fields are refused; each failure names the field (dotted path for nested ones).
 */
export function troupeValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException({ error: 'Bad Request', errors: flatten(errors) }),
  });
}

function flatten(errors: ValidationError[], prefix = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
