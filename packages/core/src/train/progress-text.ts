import type { BatchProgress } from './callbacks.js';
import type { EpochRecord } from './history.js';

/** A duration as `42s`, `3m07s` or `1h05m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * One line of a terminal progress bar for a batch:
 * `epoch 2/10 [██████······] 412/860 loss 0.5123 acc 0.812 · 231 img/s · ETA 41m12s`.
 */
export function formatProgress(p: BatchProgress, barWidth = 20): string {
  const filled = Math.round((barWidth * p.batch) / p.batchesPerEpoch);
  const bar = '█'.repeat(filled) + '·'.repeat(barWidth - filled);
  const acc = p.metrics['accuracy'] === undefined ? '' : ` acc ${p.metrics['accuracy'].toFixed(3)}`;
  return `epoch ${p.epoch}/${p.epochs} [${bar}] ${p.batch}/${p.batchesPerEpoch} loss ${p.loss.toFixed(4)}${acc} · ` +
    `${Math.round(p.imagesPerSecond)} img/s · ETA ${formatDuration(p.etaSeconds)}`;
}

/** One line per finished epoch: `epoch 3: train loss 0.3274 acc 0.878 · val loss 0.3215 acc 0.879 · 21.3s`. */
export function formatEpoch(e: EpochRecord): string {
  const pass = (name: string, r: EpochRecord['train']): string =>
    `${name} loss ${r.loss.toFixed(4)}${r.metrics['accuracy'] === undefined ? '' : ` acc ${r.metrics['accuracy'].toFixed(3)}`}`;
  const validation = e.validation === null ? '' : ` · ${pass('val', e.validation)}`;
  return `epoch ${e.epoch}: ${pass('train', e.train)}${validation} · ${e.seconds.toFixed(1)}s`;
}
