/** A decorator target metadata can be read from: a class or a handler function. */
type MetadataTarget = object | ((...args: never[]) => unknown);

/**
 * Reads metadata set with {@link SetMetadata}, so guards can be written as in NestJS. The app
 * provides one instance under the `Reflector` token: inject it by type.
 *
 * @example
 * ```ts
 * const roles = this.reflector.getAllAndOverride<string[]>('roles', [ctx.getHandler(), ctx.getClass()]);
 * ```
 */
export class Reflector {
  /** The value under `key` on `target`, or `undefined`. */
  get<T = unknown>(key: string | symbol, target: MetadataTarget): T | undefined {
    return Reflect.getMetadata(key, target);
  }

  /** The first defined value under `key` among `targets` (handler before class, typically). */
  getAllAndOverride<T = unknown>(key: string | symbol, targets: MetadataTarget[]): T | undefined {
    for (const t of targets) {
      const v = this.get<T>(key, t);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Every defined value under `key` among `targets`, arrays concatenated. */
  getAllAndMerge<T = unknown>(key: string | symbol, targets: MetadataTarget[]): T[] {
    const out: T[] = [];
    for (const t of targets) {
      const v = this.get<T | T[]>(key, t);
      if (Array.isArray(v)) out.push(...v);
      else if (v !== undefined) out.push(v);
    }
    return out;
  }
}

/**
 * Stores `value` under `key` on a class or a method, for guards to read with {@link Reflector}.
 *
 * @example
 * ```ts
 * export const Roles = (...roles: string[]) => SetMetadata('roles', roles);
 * ```
 */
export function SetMetadata<V = unknown>(
  key: string | symbol,
  value: V,
): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    Reflect.defineMetadata(key, value, (descriptor?.value ?? target) as object);
  };
}
