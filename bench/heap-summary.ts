/**
 * What the V8 heap of another process holds, by constructor: a heap snapshot taken over its
 * inspector (see inspector.ts), summed as DevTools' "Summary" view does with shallow sizes, and
 * the difference between two such summaries. Snapshots of a large heap are large (about twice
 * its size as JSON): take them with a few thousand subscribers, not tens of thousands.
 */
import type { InspectorSession } from './inspector';

/** Shallow bytes and object count by constructor (or by kind for strings, arrays, code …). */
export type HeapSummary = Map<string, { count: number; bytes: number }>;

/** The parts of the `.heapsnapshot` JSON read here. */
interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Node types summed by their name (constructor or function); the others by type alone. */
const NAMED_TYPES = new Set(['object', 'closure', 'native', 'regexp']);

/** Takes a heap snapshot of the inspected process (it runs a full GC first) and sums it by constructor. */
export async function takeHeapSummary(session: InspectorSession): Promise<HeapSummary> {
  const chunks: string[] = [];
  const off = session.on('HeapProfiler.addHeapSnapshotChunk', (params: { chunk: string }) => chunks.push(params.chunk));
  try {
    await session.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    off();
  }
  const snapshot = JSON.parse(chunks.join('')) as HeapSnapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const typeNames = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const summary: HeapSummary = new Map();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = typeNames[snapshot.nodes[i + typeAt]];
    const key = NAMED_TYPES.has(type) ? `${type === 'closure' ? 'closure ' : ''}${snapshot.strings[snapshot.nodes[i + nameAt]]}` : `(${type})`;
    const entry = summary.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snapshot.nodes[i + sizeAt];
    summary.set(key, entry);
  }
  return summary;
}

/** What grew from `before` to `after`, largest growth first, per `per` (e.g. per subscriber). */
export function heapGrowth(before: HeapSummary, after: HeapSummary, per: number, top = 40): { name: string; count: number; bytes: number }[] {
  return [...after]
    .map(([name, a]) => ({ name, count: (a.count - (before.get(name)?.count ?? 0)) / per, bytes: (a.bytes - (before.get(name)?.bytes ?? 0)) / per }))
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, top);
}
