/** Formats a shape the way error messages show it: `[8,4,32,32]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Stack frames in convlab's own packages (built, source or installed) and in Node's internals. */
const INTERNAL_FRAME = /[\\/]packages[\\/](?:core|notebook)[\\/](?:dist|src)[\\/]|[\\/]node_modules[\\/]@convlab[\\/]|\(node:internal[\\/]|at node:internal[\\/]|at (?:new Promise|Generator\.next) \(<anonymous>\)/;

/**
 * The error every convlab function throws for bad input. The message names the layer or op,
 * the argument, what was expected and what came, e.g.
 * `Conv2d(3→16, kernelSize 3): expected input with 3 channels, got 4 (input shape [8,4,32,32])`.
 */
export class ConvlabError extends Error {
  override readonly name = 'ConvlabError';

  /**
   * The stack keeps only frames outside convlab (the caller's code), so a notebook cell that
   * passes bad input fails with convlab's message first, not with a page of library internals.
   */
  constructor(message: string) {
    super(message);
    const frames = (this.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line) && !INTERNAL_FRAME.test(line));
    this.stack = [`${this.name}: ${message}`, ...frames].join('\n');
  }
}

/** Throws a {@link ConvlabError} prefixed with the op or layer that rejected its input. */
export function fail(where: string, message: string): never {
  throw new ConvlabError(`${where}: ${message}`);
}
