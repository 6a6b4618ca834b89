import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';

/*
 * Runs the worked examples of docs/examples/ the way docs/examples/README.md describes them:
 * a folder per role, a story of numbered `.graphql` files run in order, each with the header
 * lines `# as:`, `# expect:`, `# expect-error:` and `# events:`, and variables that may name
 * earlier steps' results as `{{steps.<step>.<path>}}` and times as `{{now+30d}}`.
 * The README is the contract; this file is one reading of it, kept small enough to check.
 * test/docs/examples.test.ts runs it on a test hub; scripts/examples.ts on a running one.
 */

const STEP_FILE = /^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.graphql$/;
const VARIABLES_FILE = /^(.+)\.variables\.json$/;

export interface Expectation {
  path: string;
  op: '==' | 'includes' | 'excludes' | '>=';
  /** JSON text, placeholders filled when checked. */
  value: string;
}

export interface Step {
  /** The file name without `.graphql`, e.g. `01-gd-create-alert`: how later steps name it. */
  name: string;
  file: string;
  query: string;
  operationName: string;
  operationType: 'query' | 'mutation' | 'subscription';
  agency: string;
  roles: string[];
  variables: unknown;
  expects: Expectation[];
  expectError: string | null;
  /** Subscriptions only: how many events to take, and whether they come from the next step. */
  events: { count: number; afterNextStep: boolean } | null;
}

export interface Story {
  role: string;
  dir: string;
  steps: Step[];
}

/** The stories, a folder each, in name order. Throws on any file the runner would not run. */
export function loadStories(root: string): Story[] {
  return readdirSync(root)
    .filter((d) => statSync(join(root, d)).isDirectory())
    .sort()
    .map((role) => loadStory(role, join(root, role)));
}

function loadStory(role: string, dir: string): Story {
  const files = readdirSync(dir).sort();
  const steps: Step[] = [];
  const numbers = new Set<string>();
  for (const file of files) {
    const vars = VARIABLES_FILE.exec(file);
    if (vars) {
      // A variables file nobody reads is an example that silently stopped being run.
      if (!files.includes(`${vars[1]}.graphql`)) throw new Error(`${role}/${file}: no ${vars[1]}.graphql beside it`);
      continue;
    }
    const m = STEP_FILE.exec(file);
    if (!m) throw new Error(`${role}/${file}: not a step (NN-lower-case-name.graphql) nor its variables (NN-name.variables.json)`);
    if (numbers.has(m[1])) throw new Error(`${role}/${file}: two steps numbered ${m[1]}`);
    numbers.add(m[1]);
    steps.push(loadStep(role, dir, file));
  }
  if (steps.length === 0) throw new Error(`${role}: no steps`);
  return { role, dir, steps };
}

function loadStep(role: string, dir: string, file: string): Step {
  const where = `${role}/${file}`;
  const name = file.replace(/\.graphql$/, '');
  const query = readFileSync(join(dir, file), 'utf8');
  const doc = parse(query);
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || !ops[0].name) throw new Error(`${where}: must hold exactly one named operation`);

  const header: string[] = [];
  for (const line of query.split('\n')) {
    if (!line.startsWith('#')) break;
    header.push(line.replace(/^#\s?/, ''));
  }
  if (!header.some((l) => !/^[a-z-]+:/.test(l))) throw new Error(`${where}: the header must say in words what the step shows`);
  const field = (key: string) => header.filter((l) => l.startsWith(`${key}:`)).map((l) => l.slice(key.length + 1).trim());

  const as = field('as');
  const who = as.length === 1 ? /^([A-Z]{2,16})\s+([A-Z]+(?:\s*,\s*[A-Z]+)*)$/.exec(as[0]) : null;
  if (!who) throw new Error(`${where}: needs one "# as: AGENCY ROLE[, ROLE]" line, e.g. "# as: HK ANALYST"`);

  const expects = field('expect').map((e) => {
    const x = /^(\S+)\s+(==|includes|excludes|>=)\s+(.+)$/.exec(e);
    if (!x) throw new Error(`${where}: "# expect: ${e}" is not "<path> ==|includes|excludes|>= <json>"`);
    return { path: x[1], op: x[2] as Expectation['op'], value: x[3] };
  });
  const errors = field('expect-error');
  if (errors.length > 1) throw new Error(`${where}: at most one "# expect-error:" line`);

  const operationType = ops[0].operation;
  const ev = field('events');
  let events: Step['events'] = null;
  if (operationType === 'subscription') {
    const e = ev.length === 1 ? /^(\d+)(, after the next step)?$/.exec(ev[0]) : null;
    if (!e || Number(e[1]) < 1) throw new Error(`${where}: a subscription needs "# events: N" or "# events: N, after the next step"`);
    events = { count: Number(e[1]), afterNextStep: !!e[2] };
  } else if (ev.length) {
    throw new Error(`${where}: "# events:" is for subscriptions only`);
  }

  const varsPath = join(dir, `${name}.variables.json`);
  const variables = existsSync(varsPath) ? JSON.parse(readFileSync(varsPath, 'utf8')) : {};
  return {
    name,
    file,
    query,
    operationName: ops[0].name.value,
    operationType,
    agency: who[1],
    roles: who[2].split(',').map((r) => r.trim()),
    variables,
    expects,
    expectError: errors[0] ?? null,
    events,
  };
}

/** Follows a dotted path; `*` maps the rest of the path over a list. */
export function pathGet(value: unknown, path: string): unknown {
  const [head, ...rest] = path.split('.');
  if (head === undefined || head === '') return value;
  if (head === '*') {
    if (!Array.isArray(value)) throw new Error(`"*" in ${path} is not at a list`);
    return value.map((v) => pathGet(v, rest.join('.')));
  }
  if (value === null || typeof value !== 'object' || !(head in value)) throw new Error(`no "${head}" where ${path} goes`);
  return pathGet((value as Record<string, unknown>)[head], rest.join('.'));
}

const PLACEHOLDER = /\{\{\s*([^}]+?)\s*\}\}/g;

/** The value a placeholder names: `steps.<step>.<path>`, `now`, `now+<n>d|h` or `now-<n>d|h`. */
function resolve(expr: string, results: Map<string, unknown>, now: number): unknown {
  const time = /^now(?:([+-])(\d+)([dh]))?$/.exec(expr);
  if (time) {
    const offset = time[1] ? Number(time[2]) * (time[3] === 'd' ? 86_400_000 : 3_600_000) * (time[1] === '-' ? -1 : 1) : 0;
    return new Date(now + offset).toISOString();
  }
  const step = /^steps\.([0-9]{2}-[a-z0-9-]+)\.(.+)$/.exec(expr);
  if (!step) throw new Error(`{{${expr}}} is neither steps.<step>.<path> nor now±<n>d|h`);
  if (!results.has(step[1])) throw new Error(`{{${expr}}}: no earlier step ${step[1]} in this story`);
  return pathGet(results.get(step[1]), step[2]);
}

/** Fills placeholders; a string that is one placeholder alone takes the value's own type (a version stays a number). */
export function fill(value: unknown, results: Map<string, unknown>, now = Date.now()): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([^}]+?)\s*\}\}$/.exec(value);
    if (whole) return resolve(whole[1], results, now);
    return value.replace(PLACEHOLDER, (_, expr: string) => String(resolve(expr, results, now)));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, results, now));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, results, now)]));
  return value;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Checks one expectation against a step's result; throws with what was found. */
export function check(result: unknown, e: Expectation, results: Map<string, unknown>): void {
  const actual = pathGet(result, e.path);
  const expected = fill(JSON.parse(e.value), results);
  const holds =
    e.op === '=='
      ? same(actual, expected)
      : e.op === '>='
        ? typeof actual === 'number' && typeof expected === 'number' && actual >= expected
        : (Array.isArray(actual) ? actual.some((a) => same(a, expected)) : typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected)) ===
          (e.op === 'includes');
  if (!holds) throw new Error(`expected ${e.path} ${e.op} ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`);
}

/** One answer as the hub sends it, over HTTP or as a subscription's `next`. */
export interface Payload {
  data?: unknown;
  errors?: { message?: string; extensions?: { code?: string } }[];
}

/** A subscription the hub holds, collecting what arrives. */
export interface OpenSubscription {
  results: Payload[];
  /** What ended the socket early (a close event or an error). */
  errors: unknown[];
  waitFor(n: number, timeoutMs: number): Promise<void>;
  dispose(): void;
}

/** How the runner reaches a hub: tokens, requests and subscriptions. */
export interface ExampleClient {
  token(agency: string, roles: string[]): Promise<string>;
  request(token: string, query: string, variables: Record<string, unknown>): Promise<Payload>;
  /** Resolves once the hub holds the subscription, so that events made afterwards reach it. */
  subscribe(token: string, query: string, variables: Record<string, unknown>): Promise<OpenSubscription>;
}

interface Open {
  step: Step;
  wait(): Promise<void>;
}

/**
 * Runs a story's steps in order against a hub, as their `# as:` agencies and roles; `onStep`
 * sees each step's answer before its expectations are checked.
 * @returns the names of the steps run, in order.
 * @throws on the first step that fails, naming it.
 */
export async function runStory(t: ExampleClient, story: Story, onStep: (step: Step, result: unknown) => void = () => undefined): Promise<string[]> {
  const results = new Map<string, unknown>();
  const run: string[] = [];
  // A subscription opened "after the next step" waits here for that step to run.
  const pending: Open[] = [];

  const settle = (step: Step, payloads: Payload[], single: boolean) => {
    const errors = payloads.flatMap((p) => p.errors ?? []);
    if (step.expectError) {
      const codes = errors.map((e) => e.extensions?.code);
      if (!codes.includes(step.expectError)) throw new Error(`expected an error ${step.expectError}, got ${JSON.stringify(errors)}`);
    } else if (errors.length) {
      throw new Error(`errors: ${JSON.stringify(errors)}`);
    }
    const result = single ? (payloads[0]?.data ?? null) : { events: payloads.map((p) => p.data) };
    results.set(step.name, result);
    onStep(step, result);
    for (const e of step.expects) check(result, e, results);
  };

  const within = async (step: Step, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      throw new Error(`${story.role}/${step.file}: ${(e as Error).message}`);
    }
  };

  for (const step of story.steps) {
    await within(step, async () => {
      const token = await t.token(step.agency, step.roles);
      const variables = fill(step.variables, results) as Record<string, unknown>;
      if (step.operationType === 'subscription') {
        const { count, afterNextStep } = step.events!;
        const sub = await t.subscribe(token, step.query, variables);
        const wait = async () => {
          try {
            await sub.waitFor(count, 20_000);
          } catch (e) {
            // A socket the hub closed (a bad token, a limit) says why in its close code.
            const why = (sub.errors as { code?: number; reason?: string; message?: string }[]).map((x) => x.message ?? `close ${x.code} ${x.reason ?? ''}`.trim());
            throw new Error(`${(e as Error).message}${why.length ? `; the socket: ${why.join(', ')}` : ''}`);
          } finally {
            sub.dispose();
          }
          settle(step, sub.results.slice(0, count), false);
        };
        if (afterNextStep) pending.push({ step, wait });
        else await wait();
      } else {
        settle(step, [await t.request(token, step.query, variables)], true);
      }
    });
    run.push(step.name);
    const open = pending[0];
    if (open && open.step !== step) {
      pending.shift();
      await within(open.step, open.wait);
    }
  }
  if (pending.length) throw new Error(`${story.role}/${pending[0].step.file}: "after the next step", but it is the last step`);
  return run;
}
