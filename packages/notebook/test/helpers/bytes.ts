import { decodeBase64, type QuantisedPlanes } from '@convlab/display';

/** The stored bytes of quantised planes, as a plain array for exact comparisons. */
export function storedBytes(planes: QuantisedPlanes): number[] {
  return Array.from(decodeBase64(planes.data));
}
