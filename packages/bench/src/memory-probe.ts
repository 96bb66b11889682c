// Run as a child process: trains LeNet at batch 64 and reports its resident memory as one JSON
// line, {"steps", "peakRssMB", "rssSamplesMB"}. Peak is the kernel's high-water mark (VmHWM); the
// samples are RSS right after a garbage collection (node runs with --expose-gc) at SAMPLES evenly
// spaced steps from the end of the warm-up to the last step (see checks.ts for how they are read).
import { readFileSync } from 'node:fs';
import { lenetTrainer } from './systems/convlab.js';

const SAMPLES = 7;
const steps = Number(process.argv[2] ?? 300);
const warmup = Math.min(50, Math.floor(steps / 4));
const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

function peakRss(): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return line === undefined ? process.memoryUsage().rss : Number(line.replace(/\D+/g, '')) * 1024;
}

const sampleAt = new Set(Array.from({ length: SAMPLES }, (_, i) => Math.round(warmup + ((steps - warmup) * i) / (SAMPLES - 1))));
const step = lenetTrainer(64);
const samples: number[] = [];
for (let i = 1; i <= steps; i++) {
  step();
  if (sampleAt.has(i)) {
    collect();
    samples.push(mb(process.memoryUsage().rss));
  }
}
console.log(JSON.stringify({ steps, peakRssMB: mb(peakRss()), rssSamplesMB: samples }));
