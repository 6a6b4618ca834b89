/**
 * A DevTools protocol session with another Node process started with `--inspect=127.0.0.1:PORT`:
 * the benchmarks use it to force a garbage collection before reading memory, to read the V8
 * heap, to take heap snapshots and to run the CPU profiler around the part worth seeing.
 */
import WebSocket from 'ws';

export interface InspectorSession {
  /** Sends one protocol command; resolves with its result. @throws the protocol's error. */
  call<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Calls `listener` with the params of each protocol event named `method` until the returned function is called. */
  on(method: string, listener: (params: any) => void): () => void;
  close(): void;
}

/** V8's heap figures, from Runtime.getHeapUsage. */
export interface HeapUsage {
  usedSize: number;
  totalSize: number;
}

/**
 * Connects to the inspector listening on 127.0.0.1:`port`.
 * @throws when nothing answers there.
 */
export async function openInspector(port: number): Promise<InspectorSession> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(params: any) => void>>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: unknown };
    if (message.method) for (const l of listeners.get(message.method) ?? []) l(message.params);
    const w = message.id !== undefined ? waiting.get(message.id) : undefined;
    if (!w) return;
    waiting.delete(message.id!);
    if (message.error) w.reject(new Error(message.error.message));
    else w.resolve(message.result);
  });
  return {
    call: <T>(method: string, params: Record<string, unknown> = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    on(method, listener) {
      let set = listeners.get(method);
      if (!set) listeners.set(method, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    close: () => socket.close(),
  };
}

/** Runs a full garbage collection in the inspected process, then reads its heap. */
export async function collectGarbage(session: InspectorSession): Promise<HeapUsage> {
  await session.call('HeapProfiler.collectGarbage');
  return session.call<HeapUsage>('Runtime.getHeapUsage');
}
