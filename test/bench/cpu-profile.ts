/**
 * Where a worker's CPU goes: V8 CPU profiles (`node --cpu-prof`, one file per thread: the main
 * thread runs activities and the SDK's bridge, a workflow thread runs the workflows) summed by
 * self time, per function and per area (a package, a folder of the engine, or V8's own work).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from './harness';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled milliseconds of work (idle excluded) after the cut. */
  busyMs: number;
  functions: Array<{ name: string; ms: number; share: number }>;
  areas: Array<{ name: string; ms: number; share: number }>;
  threads: Array<{ file: string; busyMs: number }>;
}

/** The engine's folder, a package (`zod`, `@temporalio/worker`), a native function (`native: writev`), or V8's own `(garbage collector)`. */
export function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : `native: ${functionName}`;
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packaged) return packaged[1]!;
  if (url.startsWith('node:')) return 'node (built-in modules)';
  // Workflow code runs from the bundle, whose module urls keep the engine's paths.
  const relative = url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
  const top = relative.split('/')[0] ?? relative;
  return /^(workflows|procedures|activities|common|worker|api|prisma|system)$/.test(top) ? `engine: ${top}/` : relative.slice(0, 60);
}

function nameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (url === '') return functionName || '(anonymous)';
  const file = url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '').replace(/.*node_modules\//, '');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/**
 * Sums every profile in `dir`, skipping samples in the first `skipMs` after each thread's profile
 * began (the worker's start: bundling its workflows), so only the window under load counts.
 */
export async function summariseProfiles(dir: string, skipMs: number, top = 12): Promise<ProfileSummary> {
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  const threads: ProfileSummary['threads'] = [];
  let busyUs = 0;
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    let t = profile.startTime;
    let threadUs = 0;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      t += delta;
      const node = nodes.get(id);
      if (!node || t - profile.startTime < skipMs * 1000 || node.callFrame.functionName === '(idle)') return;
      const name = nameOf(node);
      const area = areaOf(node.callFrame.url, node.callFrame.functionName);
      byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
      byArea.set(area, (byArea.get(area) ?? 0) + delta);
      threadUs += delta;
    });
    busyUs += threadUs;
    threads.push({ file, busyMs: threadUs / 1000 });
  }
  const ranked = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return { busyMs: busyUs / 1000, functions: ranked(byFunction), areas: ranked(byArea), threads };
}
