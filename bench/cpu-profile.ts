/**
 * CPU profiles of another Node process through its inspector (see inspector.ts): start and
 * stop the V8 sampling profiler around the part worth seeing, then sum the samples' self time
 * by function and by area (a package, a hub source file, Node's internals, GC, idle).
 */
import type { InspectorSession } from './inspector';

/** The parts of a V8 `Profiler.Profile` read here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  /** Microseconds since the previous sample, one per sample. */
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Heaviest first: self time in ms and its share of the total. */
  byArea: { name: string; ms: number; share: number }[];
  byFunction: { name: string; ms: number; share: number }[];
}

/** Starts the V8 sampling profiler in the inspected process. */
export async function startProfiler(session: InspectorSession, samplingIntervalUs = 500): Promise<void> {
  await session.call('Profiler.enable');
  await session.call('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
  await session.call('Profiler.start');
}

/** Stops the profiler started by startProfiler and returns what it sampled. */
export async function stopProfiler(session: InspectorSession): Promise<CpuProfile> {
  return (await session.call<{ profile: CpuProfile }>('Profiler.stop')).profile;
}

/** Where a frame's code lives: a package, a hub file, a Node internal, or a V8 pseudo-frame. */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1];
  const hub = /\/dist\/((?:src|bench)\/.+?)\.js$/.exec(url);
  if (hub) return `hub ${hub[1]}`;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/').slice(0, 2).join('/');
  return url;
}

function ranked(totals: Map<string, number>, totalUs: number, top: number): { name: string; ms: number; share: number }[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, share: totalUs ? us / totalUs : 0 }));
}

/** Self time by area and by function (lines are those of the compiled JS), the `top` heaviest of each. */
export function summarizeProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byNode.get(id);
    if (!frame) return;
    totalUs += us;
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${area}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  });
  return { totalMs: totalUs / 1000, byArea: ranked(areas, totalUs, top), byFunction: ranked(functions, totalUs, top) };
}
