import type { KernelCall } from '@convlab/core';
import type { MemoryCheck } from './checks.js';
import type { Spread } from './harness.js';
import type { SimdCeiling } from './simd-ceiling.js';
import { workloads, type WorkloadName } from './workloads.js';

/** One measured (workload, system) pair: the JSON `results` entries. */
export interface Result {
  readonly workload: WorkloadName;
  readonly system: string;
  readonly medianMs: number;
  readonly unit: 'img/s' | 'GFLOP/s';
  readonly throughput: number;
  readonly samples: number;
  /** Back-to-back runs of the work timed together as one sample. */
  readonly runsPerSample: number;
  /** How steady the samples were (per run of the work). */
  readonly spread?: Spread;
  readonly note?: string;
  /** convlab only: which path each conv call of one run of the work took (see {@link KernelPath}). */
  readonly kernelPaths?: readonly KernelPath[];
}

/**
 * One conv layer's kernel call in one traced run of a workload (after the measurement, warm): the
 * kernel (`conv2dForward`, `conv2dBlockForward` = conv fused with ReLU/pooling,
 * `conv2dBatchNormForward` = conv fused with batch norm and ReLU, `conv2dBackward`,
 * `conv2dBatchNormBackward` = batch norm's backward, then the conv's, of such a fused block),
 * the layer's shape, the path (`winograd4x4`, `winograd`, `direct`, `1x1`, `im2col-gemm`; for the backward, the
 * input gradient's and the weight gradient's), the backend (`wasm` or `ts`), the threads that
 * shared it, and the time its calls took against the direct convolution's multiply-adds.
 */
export interface KernelPath {
  readonly kernel: string;
  readonly shape: string;
  readonly path: string;
  readonly backend: 'wasm' | 'ts';
  readonly threads: number;
  /** Such calls in one run of the work. */
  readonly calls: number;
  /** Their wall-clock milliseconds together. */
  readonly ms: number;
  /** Their multiply-adds together, counted as the direct convolution does them (see {@link pathGflops}). */
  readonly multiplyAdds: number;
}

/**
 * A path's rate in GFLOP/s, direct-convolution-equivalent: 2 × the direct convolution's
 * multiply-adds ÷ time. Winograd does fewer multiplications (F(2×2,3×3): 2.25× fewer in its
 * products, F(4×4,3×3): 4×), so its equivalent rate can pass what the arithmetic units do.
 */
export const pathGflops = (k: KernelPath): number => (k.ms > 0 ? (2 * k.multiplyAdds) / (k.ms * 1e6) : 0);

/** {@link pathGflops} as a fraction of the SIMD ceiling of the threads the calls ran on. */
export function ceilingFraction(k: KernelPath, ceiling: SimdCeiling): number {
  return pathGflops(k) / (k.threads > 1 ? ceiling.allThreadsGflops : ceiling.oneThreadGflops);
}

/** A (workload, system) pair that was not measured, and why. */
export interface Skip {
  readonly workload: WorkloadName | 'all';
  readonly system: string;
  readonly reason: string;
}

/** A goal of the performance issues and whether this run met it. */
export interface Target {
  readonly name: string;
  readonly value: number | null;
  readonly goal: string;
  readonly met: boolean | null;
}

/** Everything `--json` prints, as one object. */
export interface Report {
  readonly machine: Record<string, string | number>;
  readonly results: readonly Result[];
  /** `ratios[workload][peer]` = convlab throughput / peer throughput (> 1: convlab faster). */
  readonly ratios: Record<string, Record<string, number>>;
  readonly checks: {
    readonly memory: MemoryCheck | null;
    readonly summaryMs: { readonly vgg16: number; readonly resnet50: number } | null;
    /** The rate of a loop of nothing but independent SIMD multiply-adds (see simd-ceiling.ts). */
    readonly simdCeiling?: SimdCeiling | null;
  };
  readonly targets: readonly Target[];
  readonly skipped: readonly Skip[];
}

const CONV_KERNELS = ['conv2dForward', 'conv2dBlockForward', 'conv2dBatchNormForward', 'conv2dBackward', 'conv2dBatchNormBackward'];

/** The conv calls of a trace, one entry per distinct (kernel, shape, path, backend, threads), in order of first call. */
export function convPaths(calls: readonly KernelCall[]): KernelPath[] {
  const out = new Map<string, { -readonly [K in keyof KernelPath]: KernelPath[K] }>();
  for (const c of calls) {
    if (!CONV_KERNELS.includes(c.kernel)) continue;
    const entry = { kernel: c.kernel, shape: c.shape ?? '', path: c.path ?? '', backend: c.backend, threads: c.threads };
    const key = JSON.stringify(entry);
    const seen = out.get(key);
    if (seen === undefined) {
      out.set(key, { ...entry, calls: 1, ms: c.ms, multiplyAdds: c.multiplyAdds ?? 0 });
    } else {
      seen.calls++;
      seen.ms += c.ms;
      seen.multiplyAdds += c.multiplyAdds ?? 0;
    }
  }
  return [...out.values()];
}

export function ratios(results: readonly Result[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const w of workloads) {
    const ours = results.find((r) => r.workload === w.name && r.system === 'convlab');
    if (ours === undefined) continue;
    const row: Record<string, number> = {};
    for (const r of results) {
      if (r.workload === w.name && r.system !== 'convlab') row[r.system] = ours.throughput / r.throughput;
    }
    out[w.name] = row;
  }
  return out;
}

export function targets(report: Omit<Report, 'targets'>): Target[] {
  const ratio = (w: string, peer: string): number | null => report.ratios[w]?.[peer] ?? null;
  const throughput = (w: string): number | null => report.results.find((r) => r.workload === w && r.system === 'convlab')?.throughput ?? null;
  const atLeast = (name: string, value: number | null, goal: number, unit: string): Target => ({ name, value, goal: `≥ ${goal}${unit}`, met: value === null ? null : value >= goal });
  const atMost = (name: string, value: number | null, goal: number, unit: string): Target => ({ name, value, goal: `≤ ${goal}${unit}`, met: value === null ? null : value <= goal });
  const memory = report.checks.memory;
  const summaryMs = report.checks.summaryMs;
  const list = [
    atLeast('LeNet training b64 vs PyTorch', ratio('lenet-train-b64', 'pytorch'), 1.3, '×'),
    atLeast('CIFAR VGG training b128 vs PyTorch', ratio('cifar-vgg-train-b128', 'pytorch'), 1, '×'),
    atLeast('ResNet-18 training b8 112² vs PyTorch', ratio('resnet18-train-b8-112', 'pytorch'), 0.8, '×'),
    atLeast('ResNet-18 inference b1 vs PyTorch', ratio('resnet18-infer-b1', 'pytorch'), 0.6, '×'),
    atLeast('VGG-16 inference b1 vs PyTorch', ratio('vgg16-infer-b1', 'pytorch'), 0.8, '×'),
    atLeast('conv64 forward', throughput('conv64-fwd'), 100, ' GFLOP/s'),
    atLeast('conv64 forward vs tfjs-wasm', ratio('conv64-fwd', 'tfjs-wasm'), 2, '×'),
    atLeast('conv64 forward+backward', throughput('conv64-fwdbwd'), 40, ' GFLOP/s'),
    atLeast('LeNet inference b256 vs tfjs-wasm', ratio('lenet-infer-b256', 'tfjs-wasm'), 1, '×'),
    atLeast('LeNet training b64 vs ConvNetJS', ratio('lenet-train-b64', 'convnetjs'), 20, '×'),
    atMost('peak RSS training LeNet b64', memory?.peakRssMB ?? null, 250, ' MB'),
    atMost('RSS growth after warm-up', memory?.rssGrowthMB ?? null, 10, ' MB'),
    atMost('summary() VGG-16', summaryMs?.vgg16 ?? null, 20, ' ms'),
    atMost('summary() ResNet-50', summaryMs?.resnet50 ?? null, 20, ' ms'),
  ];
  if (report.results.some((r) => r.workload === 'lenet-epoch')) list.splice(1, 0, atLeast('Fashion-MNIST epoch vs PyTorch', ratio('lenet-epoch', 'pytorch'), 1, '×'));
  return list;
}

const fixed = (v: number, digits: number): string => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The report as Markdown tables (the README's format). */
export function formatTables(report: Report): string {
  const lines: string[] = [];
  lines.push(Object.entries(report.machine).map(([k, v]) => `${k}: ${v}`).join(' · '), '');
  lines.push('| workload | system | median ms | min–max ms | IQR | throughput | convlab ÷ system | samples × runs |', '|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of report.results) {
    const ratio = r.system === 'convlab' ? '' : fixed(report.ratios[r.workload]?.[r.system] ?? NaN, 2) + '×';
    const speed = `${fixed(r.throughput, r.unit === 'img/s' ? 0 : 1)} ${r.unit}${r.note === undefined ? '' : ` (${r.note})`}`;
    const range = r.spread === undefined ? '—' : `${fixed(r.spread.minMs, 2)}–${fixed(r.spread.maxMs, 2)}`;
    const iqr = r.spread === undefined ? '—' : `±${fixed((r.spread.relativeIqr / 2) * 100, 1)} %`;
    lines.push(`| ${r.workload} | ${r.system} | ${fixed(r.medianMs, 2)} | ${range} | ${iqr} | ${speed} | ${ratio} | ${r.samples} × ${r.runsPerSample} |`);
  }
  lines.push('', '| target | measured | goal | met |', '|---|---:|---|---|');
  for (const t of report.targets) {
    lines.push(`| ${t.name} | ${t.value === null ? '—' : fixed(t.value, 2)} | ${t.goal} | ${t.met === null ? 'not measured' : t.met ? 'yes' : 'NO'} |`);
  }
  const ceiling = report.checks.simdCeiling ?? null;
  if (ceiling !== null) {
    lines.push('', `SIMD ceiling (independent f32x4 ${ceiling.fusedMultiplyAdd ? 'fused multiply-adds' : 'multiplies and adds'}, best of 5): ` +
      `${fixed(ceiling.oneThreadGflops, 1)} GFLOP/s on 1 thread, ${fixed(ceiling.allThreadsGflops, 1)} on ${ceiling.threads}.`);
  }
  const traced = report.results.filter((r) => r.kernelPaths !== undefined && r.kernelPaths.length > 0);
  if (traced.length > 0) {
    lines.push('', 'Which path each conv layer took and its rate (convlab, one traced run after measuring; GFLOP/s counted as the direct convolution):', '',
      '| workload | kernel | shape | path | backend × threads | calls | ms | GFLOP/s | of ceiling |', '|---|---|---|---|---|---:|---:|---:|---:|');
    for (const r of traced) {
      for (const k of r.kernelPaths!) {
        const share = ceiling === null || k.backend !== 'wasm' ? '—' : `${fixed(ceilingFraction(k, ceiling) * 100, 0)} %`;
        lines.push(`| ${r.workload} | ${k.kernel} | ${k.shape} | ${k.path} | ${k.backend} × ${k.threads} | ${k.calls} | ${fixed(k.ms, 2)} | ${fixed(pathGflops(k), 1)} | ${share} |`);
      }
    }
  }
  const memory = report.checks.memory;
  if (memory !== null) {
    lines.push('', `Memory: LeNet b64 training, ${memory.steps} steps in each of ${memory.probes} fresh processes (medians): peak RSS ${memory.peakRssMB} MB, ` +
      `${memory.rssAfterWarmupMB} MB after warm-up, ${memory.rssEndMB} MB at the end, growth ${memory.rssGrowthMB} MB.`);
  }
  if (report.skipped.length > 0) {
    lines.push('', 'Not measured:');
    for (const s of report.skipped) lines.push(`- ${s.system}${s.workload === 'all' ? '' : ` on ${s.workload}`}: ${s.reason}`);
  }
  return lines.join('\n');
}
