import type { ReceptiveField } from './receptive-field.js';
import type { Summary } from './summary.js';

/** `convlab summary --json`'s output. */
export interface SummaryJson {
  /** The name the model was asked for (`vgg16`). */
  readonly model: string;
  /** Input of one sample, `[C, H, W]`. */
  readonly input: readonly number[];
  readonly layers: readonly {
    readonly name: string;
    readonly type: string;
    /** `[C, H, W]` or `[F]`. */
    readonly outputShape: readonly number[];
    readonly params: number;
    readonly macs: number;
    /** Null when the output has no spatial layout (e.g. a fully connected layer, which sees the whole input) or no regular grid. */
    readonly receptiveField: ReceptiveField | null;
  }[];
  readonly totalParams: number;
  readonly trainableParams: number;
  readonly totalMacs: number;
}

/** The summary in `convlab summary --json`'s shape, under the name `model`. */
export function summaryJson(s: Summary, model: string): SummaryJson {
  return {
    model,
    input: s.inputShape,
    layers: s.rows.map((r) => ({ name: r.name, type: r.type, outputShape: r.outputShape, params: r.params, macs: r.macs, receptiveField: r.receptiveField })),
    totalParams: s.totals.params,
    trainableParams: s.totals.trainable,
    totalMacs: s.totals.macs,
  };
}
