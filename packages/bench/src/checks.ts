import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { summary, withoutWeights, zoo, type Module } from '@convlab/core';
import { median } from './harness.js';

/** What one memory-probe.js process reports: RSS in MB after a GC at evenly spaced steps after warm-up. */
export interface MemoryProbe {
  readonly steps: number;
  readonly peakRssMB: number;
  readonly rssSamplesMB: readonly number[];
}

/** Resident memory of LeNet training at batch 64, the median of several fresh processes (see memory-probe.ts). */
export interface MemoryCheck {
  readonly steps: number;
  /** How many processes were measured. */
  readonly probes: number;
  readonly peakRssMB: number;
  /** Median over the probes of each probe's median of its first three samples. */
  readonly rssAfterWarmupMB: number;
  /** Median over the probes of each probe's median of its last three samples. */
  readonly rssEndMB: number;
  /** Median over the probes of (end − after warm-up) per probe: one late GC or one noisy process does not decide it. */
  readonly rssGrowthMB: number;
}

const round = (mb: number): number => Math.round(mb * 10) / 10;

/**
 * Combines probes into one check. Within a probe, "after warm-up" and "end" are medians of three
 * samples (a single reading taken before the GC returned memory does not count); across probes each
 * figure is the median.
 */
export function combineProbes(probes: readonly MemoryProbe[]): MemoryCheck {
  if (probes.length === 0) throw new Error('memory check: no probe results');
  for (const p of probes) {
    if (p.rssSamplesMB.length < 3 || !p.rssSamplesMB.every(Number.isFinite)) throw new Error(`memory check: a probe needs at least 3 finite RSS samples, got [${p.rssSamplesMB.join(', ')}]`);
  }
  const early = probes.map((p) => median(p.rssSamplesMB.slice(0, 3)));
  const late = probes.map((p) => median(p.rssSamplesMB.slice(-3)));
  return {
    steps: probes[0]!.steps,
    probes: probes.length,
    peakRssMB: round(median(probes.map((p) => p.peakRssMB))),
    rssAfterWarmupMB: round(median(early)),
    rssEndMB: round(median(late)),
    rssGrowthMB: round(median(late.map((l, i) => l - early[i]!))),
  };
}

/** Runs memory-probe.js for `steps` training steps in `probes` child Node processes, one after another. */
export function memoryCheck(steps: number, probes = 3): MemoryCheck {
  const results = Array.from({ length: probes }, () => {
    const probe = spawnSync(process.execPath, ['--expose-gc', join(__dirname, 'memory-probe.js'), String(steps)], { encoding: 'utf8' });
    if (probe.status !== 0) throw new Error(`memory probe failed: ${probe.stderr}`);
    return JSON.parse(probe.stdout.trim().split('\n').pop()!) as MemoryProbe;
  });
  return combineProbes(results);
}

/** Median milliseconds of `summary()` of a weightless model at its ImageNet input size. */
export function summaryMs(build: () => Module, samples = 15): number {
  const model = withoutWeights(build);
  for (let i = 0; i < 3; i++) summary(model, [3, 224, 224]);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    summary(model, [3, 224, 224]);
    times.push(performance.now() - start);
  }
  return median(times);
}

/** summary() of VGG-16 and ResNet-50, in milliseconds. */
export function summaryChecks(): { readonly vgg16Ms: number; readonly resnet50Ms: number } {
  return { vgg16Ms: summaryMs(() => zoo.vgg16()), resnet50Ms: summaryMs(() => zoo.resnet50()) };
}
