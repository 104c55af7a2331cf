import { BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsString, ValidateNested } from 'class-validator';
import { TroupeValidationPipe } from './validation.pipe';

class Line {
  @IsString() sku!: string;
  @IsInt() quantity!: number;
}
class Address {
  @IsString() city!: string;
}
class Order {
  @IsString() customerId!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => Line) items!: Line[];
  @ValidateNested() @Type(() => Address) address!: Address;
}

async function problems(value: unknown, type: 'body' | 'param' = 'body', data?: string) {
  try {
    await new TroupeValidationPipe().transform(value, {
      type,
      metatype: type === 'body' ? Order : String,
      data,
    });
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as BadRequestException).getResponse() as { errors: unknown }).errors;
  }
}

describe('TroupeValidationPipe', () => {
  const valid = { customerId: 'c', items: [{ sku: 's', quantity: 1 }], address: { city: 'x' } };

  it('passes a valid body, as an instance', async () => {
    expect(
      await new TroupeValidationPipe().transform(valid, { type: 'body', metatype: Order }),
    ).toBeInstanceOf(Order);
  });

  it('refuses arrays where a nested object belongs, naming the element', async () => {
    expect(await problems({ ...valid, items: [[{ sku: 's', quantity: 1 }]] })).toEqual([
      { field: 'items.0', problems: ['must be an object, not an array'] },
    ]);
    expect(await problems({ ...valid, address: [{ city: 'x' }] })).toEqual([
      { field: 'address', problems: ['must be an object, not an array'] },
    ]);
  });

  it('refuses a body that is an array, and strings with NUL, naming params by their name', async () => {
    expect(await problems([valid])).toEqual([
      { field: '(body)', problems: ['must be a JSON object, not an array'] },
    ]);
    expect(await problems({ ...valid, items: [{ sku: 's\u0000', quantity: 1 }] })).toEqual([
      { field: 'items.0.sku', problems: [expect.stringContaining('NUL')] },
    ]);
    expect(await problems('a\u0000', 'param', 'orderId')).toEqual([
      { field: 'orderId', problems: [expect.stringContaining('NUL')] },
    ]);
  });
});
