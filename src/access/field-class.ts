import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { Extensions } from 'type-graphql';
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
 *
 * A plain synchronous wrapper of the field's resolver, put in by guardClassifiedFields: as a
 * type-graphql middleware it made every field of every alert a promise (an async chain per
 * field), most of a page's time in the hub.
 */
function guard(cls: FieldClass, inner: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  return (root, args, context, info) => {
    const projected = root as Partial<Projected> | undefined;
    if (projected?.[GRANTED]?.has(cls)) {
      projected[SHOWN]?.(cls);
      return inner(root, args, context, info);
    }
    return cls === FieldClass.CORE ? inner(root, args, context, info) : null;
  };
}

/**
 * Declares the field class of a GraphQL field, next to its `@Field`. The class is published
 * in the field's extensions (`fieldClass`); every such field is guarded (see
 * guardClassifiedFields), which also logs what it shows.
 */
export function Classified(cls: FieldClass): PropertyDecorator {
  return (target, key) => {
    const ctor = (target as object).constructor;
    let fields = registry.get(ctor);
    if (!fields) registry.set(ctor, (fields = new Map()));
    fields.set(String(key), cls);
    (Extensions({ fieldClass: cls }) as PropertyDecorator)(target, key);
  };
}

/**
 * Puts the guard on every field of `schema` that declares a class (`extensions.fieldClass`),
 * in front of its resolver. Run once on the schema built from the code, before anything reads
 * its resolvers.
 * @returns the number of fields guarded.
 */
export function guardClassifiedFields(schema: GraphQLSchema): number {
  let guarded = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const cls = field.extensions?.fieldClass as FieldClass | undefined;
      if (!cls) continue;
      field.resolve = guard(cls, field.resolve ?? defaultFieldResolver);
      guarded++;
    }
  }
  return guarded;
}

/** The declared class of each field of a GraphQL object type class. */
export function fieldClassesOf(type: Function): ReadonlyMap<string, FieldClass> {
  return registry.get(type) ?? new Map();
}
