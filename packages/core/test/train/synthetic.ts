import { Flatten, Generator, ImageDataset, Linear, ReLU, Sequential } from '../../src/index.js';

/**
 * n images of 1×2×2 in three classes: class k's pixels are noise around a class-specific
 * pattern, so a linear model separates them well (but not perfectly).
 */
export function blobs(n: number, seed: number): ImageDataset {
  const rng = new Generator(seed);
  const centres = [[1, 1, -1, -1], [-1, 1, 1, -1], [-1, -1, 1, 1]];
  const labels = Int32Array.from({ length: n }, () => rng.int(3));
  const pixels = new Float32Array(n * 4);
  labels.forEach((y, i) => centres[y]!.forEach((c, k) => { pixels[i * 4 + k] = c + 0.9 * rng.normal(); }));
  return new ImageDataset(pixels, labels, [1, 2, 2], { classes: ['a', 'b', 'c'] });
}

/** A small MLP for 1×2×2 inputs and three classes. */
export function smallNet(): Sequential {
  return new Sequential(new Flatten(), new Linear(4, 8), new ReLU(), new Linear(8, 3));
}
