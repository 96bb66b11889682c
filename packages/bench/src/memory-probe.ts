// Run as a child process: trains LeNet at batch 64 and reports its resident memory as one JSON
// line, {"steps", "peakRssMB", "rssAfterWarmupMB", "rssEndMB"}. Peak is the kernel's high-water
// mark (VmHWM); growth is end minus after-warm-up (both right after a garbage collection when
// node runs with --expose-gc).
import { readFileSync } from 'node:fs';
import { lenetTrainer } from './systems/convlab.js';

const steps = Number(process.argv[2] ?? 300);
const warmup = Math.min(50, Math.floor(steps / 4));
const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

function peakRss(): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return line === undefined ? process.memoryUsage().rss : Number(line.replace(/\D+/g, '')) * 1024;
}

const step = lenetTrainer(64);
let afterWarmup = 0;
for (let i = 1; i <= steps; i++) {
  step();
  if (i === warmup) {
    collect();
    afterWarmup = process.memoryUsage().rss;
  }
}
collect();
console.log(JSON.stringify({ steps, peakRssMB: mb(peakRss()), rssAfterWarmupMB: mb(afterWarmup), rssEndMB: mb(process.memoryUsage().rss) }));
