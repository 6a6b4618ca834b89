import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface HubProcess {
  proc: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match of `re` in the output. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * Runs the built hub (`dist/src/main.js`, made by `npm test`'s build step) as its own process,
 * as `npm start` does, with the given environment on top of this one. `ownProcessGroup` puts
 * it in a process group of its own, as a terminal's foreground job is.
 */
export function spawnHub(env: Record<string, string | undefined>, opts: { ownProcessGroup?: boolean } = {}): HubProcess {
  const proc = spawn(process.execPath, [MAIN], {
    env: { ...process.env, DATABASE_URL: undefined, HUB_TRUST_CONFIG: undefined, LOG_LEVEL: 'warn', NODE_ENV: 'development', HUB_DEMO_FEED_SECONDS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // As a shell starts a foreground job: a group of its own, which Ctrl-C signals as a whole.
    detached: opts.ownProcessGroup ?? false,
  });
  let out = '';
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    waiters.splice(0).forEach((w) => w());
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | string>((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    proc,
    output: () => out,
    exited,
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re} in:\n${out}`)), timeoutMs);
        const check = () => {
          const m = out.match(re);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          } else if (proc.exitCode !== null) {
            clearTimeout(timer);
            reject(new Error(`hub exited (${proc.exitCode}) before ${re}:\n${out}`));
          } else {
            waiters.push(check);
          }
        };
        proc.on('exit', check);
        check();
      });
    },
  };
}
