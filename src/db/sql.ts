/**
 * A PostgreSQL array literal for a list of strings, to pass as one bound parameter (cast with
 * `?::text[]` or `?::uuid[]` in the SQL). Bound, never spliced into SQL; quoting keeps commas,
 * braces and quotes inside values from changing the array. (A JS array as a parameter would be
 * expanded by the query builder into a list of parameters instead.)
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
