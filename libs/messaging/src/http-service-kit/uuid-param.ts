import { BadRequestException, Param, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { isUUID } from 'class-validator';

/**
 * A path parameter that must be a UUID (an id Troupe services make): anything else is a 400
 * naming the parameter, before the handler runs (it would only ever be "not found", or a
 * database error for uuid columns).
 *
 * ```ts
 * @Get('by-order/:orderId')
 * byOrder(@UuidParam('orderId') orderId: string) { ... }
 * ```
 */
export function UuidParam(name: string): ParameterDecorator {
  const param = Param(name, new UuidPipe(name));
  return (target, method, index) => {
    param(target, method, index);
    // The OpenAPI document says so too (ApiParam is a method decorator).
    const descriptor =
      method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (descriptor)
      ApiParam({ name, format: 'uuid', description: 'a UUID' })(target, method!, descriptor);
  };
}

class UuidPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (isUUID(value)) return value;
    throw new BadRequestException({
      error: 'Bad Request',
      errors: [
        {
          field: this.name,
          problems: [`${this.name} must be a UUID (got ${JSON.stringify(value)})`],
        },
      ],
    });
  }
}
