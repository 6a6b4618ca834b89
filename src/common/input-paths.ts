import {
  coerceInputValue,
  getOperationAST,
  isInputType,
  isNonNullType,
  Kind,
  typeFromAST,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { BadUserInputError } from './errors';

/*
 * Input errors name the path of what is wrong the way the services do (`input.startsOn`,
 * `filter.publishedAfter`, `after`): the argument, then input fields and list indexes. graphql-js
 * knows where a bad value sits but tells it only inside its message; these helpers work the
 * path out from the document, so an error on a literal or on a variable names the same field.
 */

/** The argument path of each value node of the documents validated so far (nodes are never mutated). */
const PATHS = new WeakMap<ASTNode, string>();

function walkValue(node: ValueNode, at: string, found: (node: ValueNode, at: string) => void): void {
  found(node, at);
  if (node.kind === Kind.LIST) node.values.forEach((v, i) => walkValue(v, `${at}[${i}]`, found));
  else if (node.kind === Kind.OBJECT) node.fields.forEach((f) => walkValue(f.value, `${at}.${f.name.value}`, found));
}

/**
 * Records the argument path of every value in the document, for `inputPathOf`. Runs with the
 * validation rules (it reports nothing), before any value of the document is parsed.
 */
export const InputPathRule: ValidationRule = () => ({
  Argument(node) {
    walkValue(node.value, node.name.value, (n, at) => PATHS.set(n, at));
  },
  // A variable's default value is named by the argument the variable goes to, like the variable.
  Document(document) {
    const uses = variableUses(document);
    for (const def of document.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue;
      for (const v of def.variableDefinitions ?? []) {
        const name = v.variable.name.value;
        if (v.defaultValue) walkValue(v.defaultValue, uses.get(name) ?? name, (n, at) => PATHS.set(n, at));
      }
    }
  },
});

/** The argument path of a value node of a validated document, e.g. `input.goods[1].quantity`. */
export function inputPathOf(node: ASTNode): string | undefined {
  return PATHS.get(node);
}

const USES = new WeakMap<DocumentNode, Map<string, string>>();

/**
 * Where each variable is first used, as an argument path: `$i` in `createAlert(input: $i)` is
 * `input`. Kept per document: thousands of subscribers send the same one.
 */
function variableUses(document: DocumentNode): Map<string, string> {
  const known = USES.get(document);
  if (known) return known;
  const uses = new Map<string, string>();
  USES.set(document, uses);
  visit(document, {
    Argument(node) {
      walkValue(node.value, node.name.value, (n, at) => {
        if (n.kind === Kind.VARIABLE && !uses.has(n.name.value)) uses.set(n.name.value, at);
      });
    },
  });
  return uses;
}

function printPath(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}

/**
 * graphql-js's suggestions ("Did you mean …?") spell out the schema to a client that may not
 * introspect it.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/ Did you mean .*$/s, '');
}

/**
 * Coerces an operation's variables as execution will, and reports each value that does not
 * fit as a BAD_USER_INPUT naming its path from the argument it goes to (`input.startsOn` for
 * `$i.startsOn` given as `input`). HTTP and the socket both run it before executing, so a
 * bad variable is the same error on both and never reaches a resolver or the database.
 * Lone surrogates anywhere in a variable are refused too: stored, they would become U+FFFD.
 * @returns no errors when the variables fit (or the operation is not found: execution says so).
 */
export function checkVariables(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, inputs: Record<string, unknown> | null | undefined): BadUserInputError[] {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation?.variableDefinitions?.length) return [];
  const values = inputs ?? {};
  const uses = variableUses(document);
  const errors: BadUserInputError[] = [];
  for (const def of operation.variableDefinitions) {
    const name = def.variable.name.value;
    const at = uses.get(name) ?? name;
    const type = typeFromAST(schema, def.type);
    if (!type || !isInputType(type)) continue; // a validation error already
    const given = Object.prototype.hasOwnProperty.call(values, name) && values[name] !== undefined;
    if (!given) {
      if (isNonNullType(type) && !def.defaultValue) errors.push(new BadUserInputError(`${at} is required`, at));
      continue;
    }
    const value = values[name];
    if (value === null) {
      if (isNonNullType(type)) errors.push(new BadUserInputError(`${at} must not be null`, at));
      continue;
    }
    const malformed = loneSurrogateAt(value);
    if (malformed) {
      const field = at + printPath(malformed);
      errors.push(new BadUserInputError(`${field} is not well-formed Unicode text (a lone surrogate)`, field));
      continue;
    }
    coerceInputValue(value, type, (path, _invalid, error) => {
      const field = at + printPath(path);
      const reason = withoutSuggestions(error.message);
      errors.push(new BadUserInputError(reason.startsWith(field) ? reason : `${field}: ${reason}`, field));
    });
  }
  return errors;
}

/** The path of the first string (value or key) holding a lone surrogate, or undefined. */
function loneSurrogateAt(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === 'string') return isWellFormedText(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = loneSurrogateAt(value[i], [...path, i]);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!isWellFormedText(k)) return path;
      const found = loneSurrogateAt(v, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

/** False for a string holding a lone surrogate, which UTF-8 cannot encode. */
export function isWellFormedText(s: string): boolean {
  return !/\p{Cs}/u.test(s);
}
