/** Formats a shape the way error messages show it: `[8,4,32,32]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * Stack frames of convlab's own packages (built, source or installed), of Node's internals and of
 * the tslab kernel that runs notebook cells: none of them is the caller's code.
 */
const INTERNAL_FRAME = /[\\/]packages[\\/](?:core|notebook)[\\/](?:dist|src)[\\/]|[\\/]node_modules[\\/](?:@convlab|tslab)[\\/]|\(node:|at node:|at (?:new Promise|[\w$.]*\.next) \(<anonymous>\)/;

/**
 * The error every convlab function throws for bad input. The message names the layer or op,
 * the argument, what was expected and what came, e.g.
 * `Conv2d(3→16, kernelSize 3): expected input with 3 channels, got 4 (input shape [8,4,32,32])`.
 */
export class ConvlabError extends Error {
  override readonly name = 'ConvlabError';

  /**
   * The stack keeps only the caller's frames, so a notebook cell that passes bad input fails with
   * convlab's message first, not with a page of library internals. It cannot be reassigned: Node
   * would otherwise prepend the library's source line where the error was thrown.
   */
  constructor(message: string) {
    super(message);
    const frames = (this.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line) && !INTERNAL_FRAME.test(line));
    const stack = [`${this.name}: ${message}`, ...frames].join('\n');
    Object.defineProperty(this, 'stack', { get: () => stack, set: () => undefined, configurable: true, enumerable: false });
  }
}

/** Throws a {@link ConvlabError} prefixed with the op or layer that rejected its input. */
export function fail(where: string, message: string): never {
  throw new ConvlabError(`${where}: ${message}`);
}
