import { checkOptions, ConvlabError, Tensor, type History, type Summary } from '@convlab/core';
import { randomBytes } from 'node:crypto';
import { bundle, type MimeBundle } from '../bundle.js';
import { historyPayload } from '../payloads/history.js';
import { summaryPayload } from '../payloads/summary.js';
import { tensorDisplayOptionTypes, tensorPayload, type TensorDisplayOptions } from '../payloads/tensor.js';
import { KINDS, type Payload } from '@convlab/display';
import { findDisplayChannel } from './kernel-channel.js';
import { SampleGrid } from './samples.js';

/** What {@link display} shows: a tensor, a model summary, a training history, a payload built by convlab (feature maps, …) or labelled images from `samples`. */
export type Displayable = Tensor | Summary | History | Payload | SampleGrid;

function isSummary(x: unknown): x is Summary {
  return typeof x === 'object' && x !== null && typeof (x as Summary).model === 'string' && Array.isArray((x as Summary).rows) && typeof (x as Summary).totals === 'object';
}

function isHistory(x: unknown): x is History {
  return typeof x === 'object' && x !== null && Array.isArray((x as History).batches) && Array.isArray((x as History).epochs) && 'stopped' in x;
}

function isPayload(x: unknown): x is Payload {
  return typeof x === 'object' && x !== null && (KINDS as readonly unknown[]).includes((x as Payload).kind) && 'data' in x;
}

/** The payload of anything {@link display} accepts, or an error naming what came. */
export function toPayload(x: Exclude<Displayable, SampleGrid>, options: TensorDisplayOptions = {}): Payload {
  if (x instanceof Tensor) return { kind: 'tensor', data: tensorPayload(x, options) };
  if (isSummary(x)) return { kind: 'summary', data: summaryPayload(x) };
  if (isHistory(x)) return { kind: 'history', data: historyPayload(x, null) };
  if (isPayload(x)) return x;
  const what = typeof x === 'object' && x !== null ? `an object with keys ${Object.keys(x).join(', ') || 'none'}` : String(x);
  throw new ConvlabError(`display: expected a Tensor, a summary(), a History from fit, or a convlab payload such as featureMaps(), got ${what}`);
}

/**
 * One display in a notebook that can be replaced in place: the first call sends `display_data`
 * with a display id, later ones `update_display_data` with the same id.
 */
export class DisplayHandle {
  readonly id = randomBytes(8).toString('hex');
  private shown = false;

  /** Shows or replaces the display; outside a kernel, prints the text form. */
  show(payload: Payload): void {
    this.send(bundle(payload), true);
  }

  /** Replaces the display with an intermediate state; outside a kernel, prints nothing. */
  refresh(payload: Payload): void {
    this.send(bundle(payload), false);
  }

  /** Shows or replaces the display with a ready-made MIME bundle (e.g. a {@link SampleGrid}'s). */
  showBundle(data: MimeBundle): void {
    this.send(data, true);
  }

  private send(data: MimeBundle, printOnConsole: boolean): void {
    const channel = findDisplayChannel();
    if (channel.kind === 'console') {
      if (printOnConsole) console.log(data['text/plain']);
      return;
    }
    channel.write({ data, metadata: {}, transient: { display_id: this.id } }, this.shown);
    this.shown = true;
  }
}

/**
 * Shows `x` in the notebook as ONE rich display: the convlab MIME type (JSON object) with HTML,
 * plain-text and (for images) PNG fallbacks. In plain Node it prints the text form.
 * @example display(summary(zoo.lenet5(), [1, 32, 32]))
 * Options (for tensors): `name` (a caption) and `as` (`'image'` or `'values'`); others are an error.
 * @example display(image, { name: 'first training image' })
 */
export function display(x: Displayable, options: TensorDisplayOptions = {}): void {
  checkOptions('display', options, tensorDisplayOptionTypes);
  if (x instanceof SampleGrid) new DisplayHandle().showBundle(x.bundle());
  else new DisplayHandle().show(toPayload(x, options));
}

/** The key under which Deno's kernel (and other Jupyter front ends) look for an object's MIME bundle. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for('Jupyter.display') as never;

/** An object that shows as a MIME bundle when it is a cell's last value (Deno's kernel). */
export interface RichValue {
  [JUPYTER_DISPLAY](): MimeBundle;
}

/**
 * Wraps `x` so that, as the last value of a cell, it shows as the same bundle {@link display}
 * sends (on Deno's kernel, which calls `Symbol.for('Jupyter.display')`). Tensors need no wrapping:
 * importing `@convlab/notebook` gives them that method.
 * @example rich(summary(zoo.lenet5(), [1, 32, 32]))   // as a cell's last line
 */
export function rich(x: Displayable, options: TensorDisplayOptions = {}): RichValue {
  checkOptions('rich', options, tensorDisplayOptionTypes);
  if (x instanceof SampleGrid) return { [JUPYTER_DISPLAY]: () => x.bundle() };
  const payload = toPayload(x, options);
  return { [JUPYTER_DISPLAY]: () => bundle(payload) };
}

Object.defineProperty(Tensor.prototype, JUPYTER_DISPLAY, {
  value(this: Tensor): MimeBundle {
    return bundle(toPayload(this));
  },
  configurable: true,
});
