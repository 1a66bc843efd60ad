/**
 * `tsx scripts/profile-summary.ts FILE.cpuprofile [--top N] [--from S] [--to S]`: where a process spent its CPU, from a
 * V8 profile (`node --cpu-prof`, e.g. a worker started with WORKER_NODE_ARGS=--cpu-prof).
 * Prints self time by function and by package or source folder, and the total time of the
 * project's own functions (callees included), so a reader sees which of our calls cost the most.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '30' }, from: { type: 'string', default: '0' }, to: { type: 'string', default: 'Infinity' } },
  allowPositionals: true,
});
const file = positionals[0];
if (!file) {
  console.error('usage: tsx scripts/profile-summary.ts FILE.cpuprofile [--top N]');
  process.exit(2);
}
const top = Number(values.top);
const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

// Self time per node: each sample's delta belongs to the node it was taken in. --from/--to: only
// the samples of that window, in seconds since the profile began (e.g. one phase of a bench).
const [fromUs, toUs] = [Number(values.from) * 1e6, Number(values.to) * 1e6];
const selfUs = new Map<number, number>();
let atUs = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  atUs += delta;
  if (atUs >= fromUs && atUs < toUs) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
});
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

/** node_modules/<package> or the project folder (src/email, activities, …), else the special frame's name. */
function where(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return `(${frame.functionName || 'native'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith('node:')) return url;
  const own = /\/(src\/[^/]+|activities|workflows|dist\/cli|scripts)\//.exec(url);
  return own?.[1] ?? url;
}
const label = (frame: CallFrame) => `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules\/)?/, '')}:${frame.lineNumber + 1}`;

const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
const selfByFunction = new Map<string, number>();
const selfByPlace = new Map<string, number>();
// Inclusive time of project frames (not node_modules), counted once per sample and frame.
const inclusiveOwn = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  add(selfByFunction, label(node.callFrame), us);
  add(selfByPlace, where(node.callFrame), us);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (!frame || !frame.url || frame.url.includes('node_modules') || frame.url.startsWith('node:')) continue;
    const key = label(frame);
    if (seen.has(key)) continue;
    seen.add(key);
    add(inclusiveOwn, key, us);
  }
}

const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)} %`;
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)}  ${key}`);
};
const idleUs = [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((sum, [, us]) => sum + us, 0);
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s sampled, ${((totalUs - idleUs) / 1e6).toFixed(1)} s not idle`);
print('self time by package or folder', selfByPlace);
print('self time by function', selfByFunction);
print("total time of the project's functions (callees included)", inclusiveOwn);
