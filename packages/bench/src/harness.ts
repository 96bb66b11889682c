import type { Runner } from './system.js';

/** How long to measure. */
export interface MeasureOptions {
  /** Warm-up per system (after its first run): at least `warmupRuns` (default 1) runs and this many milliseconds. */
  readonly warmupMs: number;
  readonly warmupRuns?: number;
  /** Measuring time per system, which sets its number of samples... */
  readonly budgetMs: number;
  /** ...within these bounds. */
  readonly minSamples: number;
  readonly maxSamples: number;
  /**
   * A sample repeats the work back to back until it lasts about this long (0: one run each).
   * Between its samples a system sits idle while the others run, its threads asleep and its cores
   * perhaps parked; a single short run would be charged for waking them (measured here: convlab's
   * 4.4 ms LeNet inference took 7.0 ms when the caller had slept 9 ms before each run).
   */
  readonly sampleMs: number;
}

/** The samples of one system, in milliseconds per run of the work. */
export interface Samples {
  readonly ms: number[];
  readonly medianMs: number;
  /** Runs per sample. */
  readonly repeat: number;
}

/** How steady a system's samples were: quartiles and extremes, in milliseconds per run. */
export interface Spread {
  readonly minMs: number;
  readonly q1Ms: number;
  readonly q3Ms: number;
  readonly maxMs: number;
  /** (q3 − q1) / median: 0.05 means the middle half of the samples lay within ±2.5 % of the median. */
  readonly relativeIqr: number;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The `p`-quantile (0…1) of `values`, interpolating linearly between order statistics (numpy's default). */
export function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function spread(values: readonly number[]): Spread {
  const q1Ms = quantile(values, 0.25);
  const q3Ms = quantile(values, 0.75);
  return { minMs: Math.min(...values), q1Ms, q3Ms, maxMs: Math.max(...values), relativeIqr: (q3Ms - q1Ms) / median(values) };
}

/**
 * Measures the runners of one workload side by side: each warms up, then they take turns, one
 * sample each per round, so that whatever else the machine does at a moment hits them alike. The
 * order rotates from round to round (A B C, B C A, C A B, …) so that no system always runs right
 * after the same other one (and pays, say, for the garbage it left to collect). A slow system
 * stops after its share of samples while the others go on. Returns the samples and medians in the
 * order given, per run of the work.
 */
export async function measureInterleaved(runners: readonly Runner[], options: MeasureOptions): Promise<Samples[]> {
  const targets: number[] = [];
  const repeats: number[] = [];
  for (const runner of runners) {
    let spent = 0;
    let last = Infinity;
    for (let runs = 0; spent < options.warmupMs || runs < (options.warmupRuns ?? 1); runs++) {
      last = await runner.run(1);
      spent += last;
    }
    const repeat = Math.max(1, Math.round(options.sampleMs / Math.max(last, 1e-3)));
    repeats.push(repeat);
    targets.push(Math.max(options.minSamples, Math.min(options.maxSamples, Math.floor(options.budgetMs / Math.max(last * repeat, 1e-3)))));
  }
  const samples: number[][] = runners.map(() => []);
  for (let round = 0; samples.some((s, i) => s.length < targets[i]!); round++) {
    for (let turn = 0; turn < runners.length; turn++) {
      const i = (round + turn) % runners.length;
      if (samples[i]!.length < targets[i]!) samples[i]!.push((await runners[i]!.run(repeats[i]!)) / repeats[i]!);
    }
  }
  return samples.map((ms, i) => ({ ms, medianMs: median(ms), repeat: repeats[i]! }));
}
