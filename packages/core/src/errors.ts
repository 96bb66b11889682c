/** Formats a shape the way error messages show it: `[8,4,32,32]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * The error every convlab function throws for bad input. The message names the layer or op,
 * the argument, what was expected and what came, e.g.
 * `Conv2d(3→16, kernelSize 3): expected input with 3 channels, got 4 (input shape [8,4,32,32])`.
 */
export class ConvlabError extends Error {
  override readonly name = 'ConvlabError';
}

/** Throws a {@link ConvlabError} prefixed with the op or layer that rejected its input. */
export function fail(where: string, message: string): never {
  throw new ConvlabError(`${where}: ${message}`);
}
