import type { Kind } from '@convlab/display';
import { featureMaps, history, SUMMARY, TENSOR_VALUES, base64 } from './payloads.js';

/** Markup that would run script if any renderer used it as HTML. */
export const MARKUP = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script>';

/**
 * The worst payloads that still fit each renderer's size cap: names with tens of thousands of
 * dots, thousands of layers, a million-character string, many channels, long histories, big
 * tensors. Each must render in bounded time or show an error box.
 */
export function hostilePayloads(): { readonly label: string; readonly kind: Kind; readonly data: unknown }[] {
  const row = SUMMARY.rows[0]!;
  const deepName = Array.from({ length: 24_000 }, (_, i) => `m${i % 10}`).join('.');
  const fm = featureMaps();
  const manyChannels = 4096;
  return [
    { label: 'summary, a name of 24,000 dotted segments', kind: 'summary', data: { ...SUMMARY, rows: [{ ...row, name: deepName, depth: 24_000 }, { ...row, name: `${deepName}.x`, depth: 24_001 }] } },
    {
      label: 'summary, 1,000 layers with 300-segment names', kind: 'summary',
      data: { ...SUMMARY, rows: Array.from({ length: 1_000 }, (_, i) => ({ ...row, name: `${Array.from({ length: 300 }, (_, j) => `s${j % 10}`).join('.')}.${i}`, depth: 301 })) },
    },
    {
      label: 'summary, 8,000 flat layers', kind: 'summary',
      data: { ...SUMMARY, rows: Array.from({ length: 8_000 }, (_, i) => ({ ...row, name: `layer${i}`, depth: 1, type: MARKUP, arguments: MARKUP })) },
    },
    { label: 'summary, a 1,900,000-character name', kind: 'summary', data: { ...SUMMARY, model: MARKUP, rows: [{ ...row, name: 'x'.repeat(1_900_000) }] } },
    { label: 'featuremaps, 4,096 channels', kind: 'featuremaps', data: { ...fm, layers: [{ ...fm.layers[1]!, name: MARKUP, shape: [manyChannels, 2, 2],
      channels: { included: Array.from({ length: manyChannels }, (_, i) => i), total: manyChannels, page: null },
      maps: { ...fm.layers[1]!.maps, shape: [manyChannels, 2, 2], data: base64(Array.from({ length: manyChannels * 4 }, (_, i) => i % 256)) } }] } },
    { label: 'featuremaps, 1,000 layers', kind: 'featuremaps', data: { ...fm, layers: Array.from({ length: 1_000 }, (_, i) => ({ ...fm.layers[0]!, name: `${MARKUP}${i}` })) } },
    { label: 'featuremaps, a 1,000,000-character layer name', kind: 'featuremaps', data: { ...fm, layers: [{ ...fm.layers[0]!, name: 'n'.repeat(1_000_000), type: 't'.repeat(500_000) }] } },
    { label: 'history, 30,000 batches', kind: 'history', data: { ...history(8), batches: Array.from({ length: 30_000 }, (_, i) => ({ step: i + 1, epoch: 1, loss: 1 / (i + 1), accuracy: 0.5 })) } },
    { label: 'tensor, 150,000 values', kind: 'tensor', data: { ...TENSOR_VALUES, name: MARKUP, shape: [150_000], values: Array.from({ length: 150_000 }, (_, i) => i % 7), truncated: false } },
    { label: 'tensor, shape of 100,000 ones', kind: 'tensor', data: { ...TENSOR_VALUES, shape: [...Array.from({ length: 100_000 }, () => 1), 2, 3] } },
    {
      label: 'check, 90,000-character strings', kind: 'check',
      data: { name: 'n'.repeat(30_000), passed: false, computed: MARKUP.repeat(200), expected: 'e'.repeat(30_000), tolerance: null, message: MARKUP },
    },
  ];
}

/**
 * The worst filter-grid and layer-health payloads under their caps (kept out of
 * {@link hostilePayloads}, whose list the browser's hostile-notebook test saves into one notebook).
 */
export function hostileInspectPayloads(): { readonly label: string; readonly kind: Kind; readonly data: unknown }[] {
  return [
    { label: 'filters, 1,024 tiles of 11×11', kind: 'filters', data: { layer: MARKUP, weightShape: [64, 16, 11, 11], mode: 'channels', 
      outputs: Array.from({ length: 64 }, (_, i) => i), inputs: Array.from({ length: 16 }, (_, i) => i), min: -1, max: 1,
      planes: { shape: [1024, 11, 11], downsample: 1, encoding: 'uint8-base64', data: base64(Array.from({ length: 1024 * 121 }, (_, i) => i % 256)), range: 'layer', min: [-1], max: [1] } } },
    { label: 'filters, a norm map of 256×256', kind: 'filters', data: { layer: MARKUP, weightShape: [256, 256, 3, 3], mode: 'norms', 
      outputs: Array.from({ length: 256 }, (_, i) => i), inputs: Array.from({ length: 256 }, (_, i) => i), min: -1, max: 1,
      planes: { shape: [1, 256, 256], downsample: 1, encoding: 'uint8-base64', data: base64(Array.from({ length: 65_536 }, (_, i) => i % 256)), range: 'layer', min: [0], max: [3] } } },
    { label: 'layerhealth, 100 records × 6 layers × 3 histograms of 200 bins', kind: 'layerhealth', data: {
      records: Array.from({ length: 100 }, (_, r) => ({ step: r + 1, epoch: 1, batch: r + 1 })), progress: null,
      layers: Array.from({ length: 6 }, (_, i) => {
        const h = {
          edges: Array.from({ length: 201 }, (_, b) => b), counts: Array.from({ length: 100 }, (_, r) => Array.from({ length: 200 }, (_, b) => (r * b) % 7)), below: Array(100).fill(0),
          above: Array(100).fill(0),
        };
        const line = Array.from({ length: 100 }, (_, r) => 1 / (r + 1));
        return { layer: `${MARKUP}${i}`, type: MARKUP, weightNorm: line, gradNorm: line, updateRatio: line, deadFraction: line, weights: h, grads: h, activations: h };
      }) } },
  ];
}
