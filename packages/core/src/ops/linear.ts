import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { addBiasRows, gemm, sumBiasRows } from '../kernels/dispatch.js';
import { Tensor } from '../tensor.js';
import { gradientBuffer } from '../gradient-buffers.js';

/**
 * Fully connected layer `y = x·Wᵀ + b`.
 * Shapes: x `[N, in]`, weight `[out, in]` (PyTorch's layout), bias `[out]` or null (the default) → y `[N, out]`.
 * Backward: `dx = dy·W`, `dW = dyᵀ·x` (summed over the batch), `db = Σ_n dy`.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null, where = 'linear'): Tensor {
  if (weight.rank !== 2) fail(where, `expected a 2-D weight [out, in], got shape ${formatShape(weight.shape)}`);
  const [outFeatures, inFeatures] = weight.shape as [number, number];
  if (x.rank !== 2) fail(where, `expected a 2-D input [N, ${inFeatures}], got shape ${formatShape(x.shape)} (flatten it first)`);
  const [n, xin] = x.shape as [number, number];
  if (xin !== inFeatures) fail(where, `expected input with ${inFeatures} features, got ${xin} (input shape ${formatShape(x.shape)})`);
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== outFeatures)) {
    fail(where, `expected a bias of shape [${outFeatures}], got ${formatShape(bias.shape)}`);
  }
  const xv = x.data;
  const wv = weight.readValues();
  const out = new Float32Array(n * outFeatures);
  gemm({ m: n, n: outFeatures, k: inFeatures, a: xv, b: wv, transB: true, c: out, bVersion: weight.version });
  if (bias !== null) addBiasRows(out, bias.readValues(), n, outFeatures);
  const inputs = bias === null ? [x, weight] : [x, weight, bias];
  return recordOp(new Tensor(out, [n, outFeatures]), 'linear', inputs, (g) => {
    const gx = x.requiresGrad ? gradientBuffer(n * inFeatures) : null;
    if (gx !== null) gemm({ m: n, n: inFeatures, k: outFeatures, a: g, b: wv, c: gx });
    const gw = weight.requiresGrad ? gradientBuffer(outFeatures * inFeatures) : null;
    if (gw !== null) gemm({ m: outFeatures, n: inFeatures, k: n, a: g, transA: true, b: xv, c: gw });
    return bias === null ? [gx, gw] : [gx, gw, sumBiasRows(g, n, outFeatures)];
  });
}
