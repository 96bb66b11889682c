import type { Checker } from './checker.js';
import { checkPlanes, type FloatValue, type QuantizedPlanes } from './common.js';

/**
 * `application/vnd.convlab.tensor.v1+json`: a tensor, either as its values (small tensors) or as
 * an image (tensors shaped like images: `[H,W]`, `[C,H,W]` or `[1,C,H,W]` with C = 1 or 3).
 */
export type TensorData = TensorValues | TensorImage;

interface TensorCommon {
  /** Optional caption, e.g. the variable's name. */
  readonly name: string | null;
  readonly shape: readonly number[];
  /** Over all elements (non-finite values spelled as in {@link FloatValue}). */
  readonly stats: { readonly min: FloatValue; readonly max: FloatValue; readonly mean: FloatValue };
}

export interface TensorValues extends TensorCommon {
  readonly form: 'values';
  /** The first elements in row-major order: all of them unless `truncated`. */
  readonly values: readonly FloatValue[];
  readonly truncated: boolean;
}

export interface TensorImage extends TensorCommon {
  readonly form: 'image';
  /** 1 (gray) or 3 (RGB) channels. */
  readonly image: QuantizedPlanes;
}

export function checkTensor(c: Checker, path: string, value: unknown): value is TensorData {
  if (!c.object(path, value)) return false;
  const shapeOk = c.integers(`${path}.shape`, value['shape'], null);
  const ok = [
    shapeOk,
    value['name'] === null || c.string(`${path}.name`, value['name']),
  ];
  const stats = value['stats'];
  if (c.object(`${path}.stats`, stats)) ok.push(...(['min', 'max', 'mean'] as const).map((k) => c.float(`${path}.stats.${k}`, stats[k])));
  else ok.push(false);
  const size = shapeOk ? (value['shape'] as number[]).reduce((a, b) => a * b, 1) : null;
  if (!c.oneOf(`${path}.form`, value['form'], ['values', 'image'] as const)) return false;
  if (value['form'] === 'values') {
    const values = value['values'];
    ok.push(c.each(`${path}.values`, values, (p, v) => c.float(p, v)), c.boolean(`${path}.truncated`, value['truncated']));
    if (Array.isArray(values) && size !== null && typeof value['truncated'] === 'boolean') {
      ok.push(c.require(`${path}.values`, value['truncated'] ? values.length < size : values.length === size,
        `${values.length} values for ${size} elements with truncated=${String(value['truncated'])}`));
    }
  } else if (checkPlanes(c, `${path}.image`, value['image'])) {
    const channels = (value['image'] as QuantizedPlanes).shape[0];
    ok.push(c.require(`${path}.image.shape[0]`, channels === 1 || channels === 3, `expected 1 or 3 channels, got ${channels}`));
  } else ok.push(false);
  return ok.every(Boolean);
}
