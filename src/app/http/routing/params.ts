import type { Type } from '../../di/types.js';
import { METADATA } from '../../metadata-keys.js';
import type { ParamDefinition } from './param-decorators.js';
import type { HeraldRequest } from './request.js';
import { isDtoType, transformAndValidate, type ValidationOptions } from './validation.js';

/** One handler parameter, ready to resolve: where it comes from and its declared type. */
export interface ParamPlan extends ParamDefinition {
  /** The class to transform and validate into, when the declared type is a DTO class. */
  dto?: Type<object>;
}

/** Joins parameter decorators with `design:paramtypes`, once per route at startup. */
export function planParams(controller: object, method: string | symbol): ParamPlan[] {
  const defs: ParamDefinition[] = Reflect.getMetadata(METADATA.PARAMS, controller, method) ?? [];
  const types: unknown[] =
    Reflect.getMetadata(
      'design:paramtypes',
      (controller as { prototype: object }).prototype,
      method,
    ) ?? [];
  return defs.map((def) => {
    const type = types[def.index];
    const plan: ParamPlan = { ...def };
    if (def.source !== 'request' && isDtoType(type)) plan.dto = type;
    return plan;
  });
}

/** The handler's arguments for one request; rejects with a 400 when a DTO does not validate. */
export async function resolveParams(
  plans: ParamPlan[],
  req: HeraldRequest,
  validation: Required<ValidationOptions>,
): Promise<unknown[]> {
  const args: unknown[] = [];
  for (const plan of plans) {
    let value = extract(plan, req);
    if (plan.dto) {
      value = await transformAndValidate(plan.dto, value, plan.source !== 'body', validation);
    }
    args[plan.index] = value;
  }
  return args;
}

function extract(plan: ParamPlan, req: HeraldRequest): unknown {
  switch (plan.source) {
    case 'query':
      return pick(req.query, plan.key);
    case 'param':
      return pick(req.params, plan.key);
    case 'body':
      return pick(req.body, plan.key);
    case 'headers':
      return pick(req.headers, plan.key);
    case 'request':
      return req;
    case 'last-event-id':
      return lastEventId(req);
  }
}

function pick(source: unknown, key: string | undefined): unknown {
  if (key === undefined) return source;
  if (typeof source !== 'object' || source === null || Buffer.isBuffer(source)) return undefined;
  return Object.hasOwn(source, key) ? (source as Record<string, unknown>)[key] : undefined;
}

function lastEventId(req: HeraldRequest): string | undefined {
  const header = req.headers['last-event-id'];
  if (typeof header === 'string') return header;
  const q = req.query.lastEventId;
  return Array.isArray(q) ? q[0] : q;
}
