import { Extensions, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import { FieldClass } from '../common/enums';

/** Every field class, in the contract's order. */
export const ALL_FIELD_CLASSES: readonly FieldClass[] = Object.values(FieldClass);

/**
 * The classes a viewer was granted on the object a projection made. Held under a symbol so
 * that no GraphQL field, JSON serialisation or spread can expose or forge it.
 */
export const GRANTED = Symbol('granted field classes');

/**
 * Called with a field's class each time the field resolves on an object of a partner's alert,
 * so the access log records what was shown (see AccessLogCollector.reader). Held under a
 * symbol like the grant.
 */
export const SHOWN = Symbol('shown field classes');

export interface Projected {
  [GRANTED]: ReadonlySet<FieldClass>;
  [SHOWN]?: (cls: FieldClass) => void;
}

const registry = new Map<Function, Map<string, FieldClass>>();

/**
 * Second line of defence behind the projection: a classified field resolves only when the
 * object it sits on was made by the projection and carries a grant of its class. An object
 * that reached GraphQL some other way shows none of its classified fields (CORE ones resolve
 * as before). A field that resolves with its class granted is reported as shown; one whose
 * class is withheld is null and shows nothing.
 */
function guard(cls: FieldClass): MiddlewareFn {
  return async ({ root }, next) => {
    const projected = root as Partial<Projected> | undefined;
    if (projected?.[GRANTED]?.has(cls)) {
      projected[SHOWN]?.(cls);
      return next();
    }
    return cls === FieldClass.CORE ? next() : null;
  };
}

/**
 * Declares the field class of a GraphQL field, next to its `@Field`. The class is published
 * in the field's extensions (`fieldClass`); every field is guarded, which also logs what it shows.
 */
export function Classified(cls: FieldClass): PropertyDecorator {
  return (target, key) => {
    const ctor = (target as object).constructor;
    let fields = registry.get(ctor);
    if (!fields) registry.set(ctor, (fields = new Map()));
    fields.set(String(key), cls);
    (Extensions({ fieldClass: cls }) as PropertyDecorator)(target, key);
    (UseMiddleware(guard(cls)) as PropertyDecorator)(target, key);
  };
}

/** The declared class of each field of a GraphQL object type class. */
export function fieldClassesOf(type: Function): ReadonlyMap<string, FieldClass> {
  return registry.get(type) ?? new Map();
}
