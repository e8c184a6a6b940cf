import { plainToInstance } from 'class-transformer';
import { type ValidationError, validate } from 'class-validator';
import type { Type } from '../../di/types.js';
import { BadRequestException } from '../errors/exceptions.js';

/** Declared types that are taken as they come, never transformed or validated. */
const PLAIN_TYPES = new Set<unknown>([String, Number, Boolean, Object, Array, Symbol, BigInt]);

/** True when a parameter of declared type `type` is a DTO class to transform and validate. */
export function isDtoType(type: unknown): type is Type<object> {
  return typeof type === 'function' && !PLAIN_TYPES.has(type) && type.prototype !== undefined;
}

/**
 * Turns `value` into an instance of `type` with class-transformer and validates it with
 * class-validator. `implicitConversion` is on for strings taken from the URL and headers, so
 * `@IsInt() limit: number` accepts `?limit=10`. Throws a 400 listing every failed constraint.
 */
export async function transformAndValidate(
  type: Type<object>,
  value: unknown,
  implicitConversion: boolean,
): Promise<object> {
  const plain = typeof value === 'object' && value !== null ? value : {};
  const instance = plainToInstance(type, plain, { enableImplicitConversion: implicitConversion });
  const errors = await validate(instance, { forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new BadRequestException({
      statusCode: 400,
      message: flatten(errors, ''),
      error: 'Bad Request',
    });
  }
  return instance;
}

/** Constraint messages, nested ones prefixed with their parent path (`address.city ...`). */
function flatten(errors: ValidationError[], prefix: string): string[] {
  const out: string[] = [];
  for (const e of errors) {
    for (const message of Object.values(e.constraints ?? {})) out.push(prefix + message);
    if (e.children?.length) out.push(...flatten(e.children, `${prefix}${e.property}.`));
  }
  return out;
}
