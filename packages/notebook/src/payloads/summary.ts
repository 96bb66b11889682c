import type { Summary } from '@convlab/core';
import type { SummaryData } from '@convlab/display';

/** The `summary` payload of core's `summary(model, inputShape, { colNames })`: the figures the table shows, per sample, and its columns. */
export function summaryPayload(s: Summary): SummaryData {
  return {
    model: s.model,
    inputShape: [...s.inputShape],
    rows: s.rows.map((r) => ({
      name: r.name, depth: r.depth, type: r.type, arguments: r.arguments, outputShape: [...r.outputShape],
      params: r.params, trainable: r.trainable, share: r.share, macs: r.macs, activationBytes: r.activationBytes,
      receptiveField: r.receptiveField, global: r.global,
    })),
    totals: { params: s.totals.params, trainable: s.totals.trainable, macs: s.totals.macs, activationBytes: s.totals.activationBytes },
    columns: [...s.columns],
  };
}
