import { Extensions, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import { FieldClass } from '../common/enums';

/** Every field class, in the contract's order. */
export const ALL_FIELD_CLASSES: readonly FieldClass[] = Object.values(FieldClass);

/**
 * The classes a viewer was granted on the object a projection made. Held under a symbol so
 * that no GraphQL field, JSON serialisation or spread can expose or forge it.
 */
export const GRANTED = Symbol('granted field classes');

export interface Projected {
  [GRANTED]: ReadonlySet<FieldClass>;
}

const registry = new Map<Function, Map<string, FieldClass>>();

/**
 * Second line of defence behind the projection: a classified field resolves only when the
 * object it sits on was made by the projection and carries a grant of its class. An object
 * that reached GraphQL some other way shows none of its classified fields.
 */
function guard(cls: FieldClass): MiddlewareFn {
  return async ({ root }, next) => {
    const granted = (root as Partial<Projected> | undefined)?.[GRANTED];
    return granted?.has(cls) ? next() : null;
  };
}

/**
 * Declares the field class of a GraphQL field, next to its `@Field`. The class is published
 * in the field's extensions (`fieldClass`), and every class but CORE is guarded.
 */
export function Classified(cls: FieldClass): PropertyDecorator {
  return (target, key) => {
    const ctor = (target as object).constructor;
    let fields = registry.get(ctor);
    if (!fields) registry.set(ctor, (fields = new Map()));
    fields.set(String(key), cls);
    (Extensions({ fieldClass: cls }) as PropertyDecorator)(target, key);
    if (cls !== FieldClass.CORE) (UseMiddleware(guard(cls)) as PropertyDecorator)(target, key);
  };
}

/** The declared class of each field of a GraphQL object type class. */
export function fieldClassesOf(type: Function): ReadonlyMap<string, FieldClass> {
  return registry.get(type) ?? new Map();
}
