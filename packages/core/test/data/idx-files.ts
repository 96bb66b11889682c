import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { onTestFinished } from 'vitest';
import { FASHION_MNIST_FILES, findDataset } from '../../src/index.js';

/** Bytes of an unsigned-byte IDX file with the given dimensions and values. */
export function idxBytes(dims: number[], values: ArrayLike<number>): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Uint8Array.from(Buffer.concat([header, Buffer.from(Uint8Array.from(values))]));
}

/** A fresh temporary folder, removed when the calling test finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-data-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Writes a tiny Fashion-MNIST-shaped dataset (n training and m test images of h×w pixels;
 * pixel k of image i is (i·10 + k) mod 256, its label i mod 10) into `dir`, gzipped or raw.
 */
export function writeTinyFashion(dir: string, n: number, m: number, gzip: boolean, [h, w]: [number, number] = [2, 3]): void {
  const write = (stem: string, bytes: Uint8Array): void => writeFileSync(join(dir, gzip ? `${stem}.gz` : stem), gzip ? gzipSync(bytes) : bytes);
  const size = h * w;
  const images = (count: number): number[] => Array.from({ length: count * size }, (_, j) => (Math.floor(j / size) * 10 + (j % size)) % 256);
  const labels = (count: number): number[] => Array.from({ length: count }, (_, i) => i % 10);
  write('train-images-idx3-ubyte', idxBytes([n, h, w], images(n)));
  write('train-labels-idx1-ubyte', idxBytes([n], labels(n)));
  write('t10k-images-idx3-ubyte', idxBytes([m, h, w], images(m)));
  write('t10k-labels-idx1-ubyte', idxBytes([m], labels(m)));
}

/** Whether Fashion-MNIST is found on the dataset search path (on this machine: Debian's package). */
export function haveFashionMnist(): boolean {
  try {
    findDataset('test', 'fashion-mnist', FASHION_MNIST_FILES, '');
    return true;
  } catch {
    return false;
  }
}
