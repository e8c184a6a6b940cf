import { instanceToPlain, plainToInstance } from 'class-transformer';
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
 * How DTO parameters are validated, per app (`HeraldFactory.create(M, { validation })`), with the
 * meanings of NestJS's `ValidationPipe` options.
 */
export interface ValidationOptions {
  /** Strips properties that carry no class-validator decorator. Default false. */
  whitelist?: boolean;
  /**
   * With `whitelist`: answers 400 naming each property that carries no decorator
   * (`property extra should not exist`) instead of stripping it. Default false.
   */
  forbidNonWhitelisted?: boolean;
  /**
   * Handlers get the DTO class instance (true, Herald's default: methods and `@Type()`
   * conversions work) or a plain object (false, NestJS's default: the value as it came, or the
   * stripped copy with `whitelist`). Validation runs on the instance either way.
   */
  transform?: boolean;
}

/** Herald's defaults: today's behaviour, instances handed over, nothing stripped. */
export const DEFAULT_VALIDATION: Required<ValidationOptions> = {
  whitelist: false,
  forbidNonWhitelisted: false,
  transform: true,
};

/**
 * Turns `value` into an instance of `type` with class-transformer and validates it with
 * class-validator. `implicitConversion` is on for strings taken from the URL and headers, so
 * `@IsInt() limit: number` accepts `?limit=10`. Throws a 400 listing every failed constraint.
 */
export async function transformAndValidate(
  type: Type<object>,
  value: unknown,
  implicitConversion: boolean,
  options: Required<ValidationOptions> = DEFAULT_VALIDATION,
): Promise<unknown> {
  const plain = typeof value === 'object' && value !== null ? value : {};
  const instance = plainToInstance(type, plain, { enableImplicitConversion: implicitConversion });
  const errors = await validate(instance, {
    forbidUnknownValues: false,
    whitelist: options.whitelist,
    forbidNonWhitelisted: options.forbidNonWhitelisted,
  });
  if (errors.length > 0) {
    throw new BadRequestException({
      statusCode: 400,
      message: flatten(errors, ''),
      error: 'Bad Request',
    });
  }
  if (options.transform) return instance;
  // As ValidationPipe: the value as it came, unless whitelisting changed it.
  return options.whitelist ? instanceToPlain(instance) : value;
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
