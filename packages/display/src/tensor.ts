import type { Checker } from './checker.js';
import { checkPlanes, type FloatValue, type QuantizedPlanes } from './common.js';

/**
 * `application/vnd.convlab.tensor.v1+json`: a tensor, either as its values (small tensors), as
 * an image (tensors shaped like images: `[H,W]`, `[C,H,W]` or `[1,C,H,W]` with C = 1 or 3), or as
 * heatmaps of its 2-D planes (larger `[C,H,W]` and `[N,C,H,W]` tensors).
 */
export type TensorData = TensorValues | TensorImage | TensorPlanes;

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

/**
 * A rank-3 or rank-4 tensor as heatmaps of its 2-D planes (`[c, :, :]` or `[n, c, :, :]`), the first
 * `planes.shape[0]` of them in row-major order, on one value scale (`range: "layer"`).
 */
export interface TensorPlanes extends TensorCommon {
  readonly form: 'planes';
  readonly planes: QuantizedPlanes;
}

/** How many 2-D planes a tensor of `shape` has: the product of all but its last two dimensions. */
export function planeCount(shape: readonly number[]): number {
  return shape.slice(0, -2).reduce((a, b) => a * b, 1);
}

/** Plane `k`'s index in row-major order: `[1, 2, :, :]` for k = 5 of a `[2, 3, H, W]` tensor. */
export function planeLabel(shape: readonly number[], k: number): string {
  const index: number[] = [];
  let rest = k;
  for (let axis = shape.length - 3; axis >= 0; axis--) {
    index.unshift(rest % shape[axis]!);
    rest = Math.floor(rest / shape[axis]!);
  }
  return `[${[...index, ':', ':'].join(', ')}]`;
}

/** `showing 64 of 192 planes ([0, 0, :, :] … [21, 0, :, :])`, or `all 3 planes` when none is left out. */
export function describePlanes(shape: readonly number[], shown: number): string {
  const total = planeCount(shape);
  const range = shown === 1 ? planeLabel(shape, 0) : `${planeLabel(shape, 0)} … ${planeLabel(shape, shown - 1)}`;
  return shown < total ? `showing ${shown} of ${total} planes (${range})` : `all ${total} plane${total === 1 ? '' : 's'} (${range})`;
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
  if (!c.oneOf(`${path}.form`, value['form'], ['values', 'image', 'planes'] as const)) return false;
  if (value['form'] === 'values') {
    const values = value['values'];
    ok.push(c.each(`${path}.values`, values, (p, v) => c.float(p, v)), c.boolean(`${path}.truncated`, value['truncated']));
    if (Array.isArray(values) && size !== null && typeof value['truncated'] === 'boolean') {
      ok.push(c.require(`${path}.values`, value['truncated'] ? values.length < size : values.length === size,
        `${values.length} values for ${size} elements with truncated=${String(value['truncated'])}`));
    }
  } else if (value['form'] === 'planes') {
    if (checkPlanes(c, `${path}.planes`, value['planes']) && shapeOk) {
      const shape = value['shape'] as number[];
      const [k, h, w] = (value['planes'] as QuantizedPlanes).shape;
      const f = (value['planes'] as QuantizedPlanes).downsample;
      ok.push(
        c.require(`${path}.shape`, shape.length === 3 || shape.length === 4, `expected a rank-3 or rank-4 shape for planes, got ${shape.length} dimensions`),
        c.require(`${path}.planes.shape[0]`, k <= planeCount(shape), `${k} planes stored, but the tensor has ${planeCount(shape)}`),
        c.require(`${path}.planes.shape`, h === Math.ceil(shape[shape.length - 2]! / f) && w === Math.ceil(shape[shape.length - 1]! / f),
          `stored ${h}×${w} does not match ${shape[shape.length - 2]}×${shape[shape.length - 1]} downsampled by ${f}`),
      );
    } else ok.push(false);
  } else if (checkPlanes(c, `${path}.image`, value['image'])) {
    const channels = (value['image'] as QuantizedPlanes).shape[0];
    ok.push(c.require(`${path}.image.shape[0]`, channels === 1 || channels === 3, `expected 1 or 3 channels, got ${channels}`));
  } else ok.push(false);
  return ok.every(Boolean);
}
