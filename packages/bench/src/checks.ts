import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { summary, withoutWeights, zoo, type Module } from '@convlab/core';
import { median } from './harness.js';

/** Resident memory of LeNet training at batch 64, from a fresh process (see memory-probe.ts). */
export interface MemoryCheck {
  readonly steps: number;
  readonly peakRssMB: number;
  readonly rssAfterWarmupMB: number;
  readonly rssEndMB: number;
}

/** Runs memory-probe.js for `steps` training steps in a child Node process. */
export function memoryCheck(steps: number): MemoryCheck {
  const probe = spawnSync(process.execPath, ['--expose-gc', join(__dirname, 'memory-probe.js'), String(steps)], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`memory probe failed: ${probe.stderr}`);
  return JSON.parse(probe.stdout.trim().split('\n').pop()!) as MemoryCheck;
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
