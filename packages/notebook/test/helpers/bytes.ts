import { decodeBase64, type QuantizedPlanes } from '@convlab/display';

/** The stored bytes of quantized planes, as a plain array for exact comparisons. */
export function storedBytes(planes: QuantizedPlanes): number[] {
  return Array.from(decodeBase64(planes.data));
}
