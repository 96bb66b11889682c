/**
 * Float arrays that a {@link DataLoader} reuses batch after batch within one pass: the images as
 * read and the outputs of built-in transforms, when only the next built-in transform reads them
 * (see `writingForm` in transforms.ts). Nothing from here is ever yielded to the caller, so a batch
 * the caller keeps is never overwritten.
 */
export class BatchScratch {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly made = new WeakSet<Float32Array>();
  private createdCount = 0;

  /** A zero-filled array of `length` floats: one given back earlier when there is one. */
  take(length: number): Float32Array {
    const reused = this.free.get(length)?.pop();
    if (reused !== undefined) return reused.fill(0);
    const array = new Float32Array(length);
    this.made.add(array);
    this.createdCount++;
    return array;
  }

  /**
   * Gives back an array from {@link take} that nothing reads any more (the caller vouches for
   * that); arrays from anywhere else, and one already given back, are ignored.
   */
  give(array: Float32Array): void {
    if (!this.made.has(array)) return;
    const list = this.free.get(array.length);
    if (list === undefined) this.free.set(array.length, [array]);
    else if (!list.includes(array)) list.push(array);
  }

  /** Arrays made so far (every other {@link take} reused one). */
  get created(): number {
    return this.createdCount;
  }
}
