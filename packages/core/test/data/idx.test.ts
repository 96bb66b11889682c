import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fashionMnist, FASHION_MNIST_MEAN, FASHION_MNIST_STD, idxImageDataset, parseIdx, readIdxFile } from '../../src/index.js';
import { haveFashionMnist, idxBytes, tempDir, writeTinyFashion } from './idx-files.js';

describe('parseIdx', () => {
  it('reads dimensions (big-endian) and values', () => {
    const idx = parseIdx(idxBytes([2, 3], [1, 2, 3, 4, 5, 255]), 'x');
    expect(idx.dims).toEqual([2, 3]);
    expect(Array.from(idx.data)).toEqual([1, 2, 3, 4, 5, 255]);
    expect(parseIdx(idxBytes([300], new Array(300).fill(7)), 'y').dims).toEqual([300]);
  });

  it('rejects a wrong magic number, another element type, a truncated header or data, and trailing bytes', () => {
    const good = idxBytes([2, 2], [1, 2, 3, 4]);
    const bad = (patch: (b: Uint8Array) => Uint8Array): (() => unknown) => () => parseIdx(patch(good.slice()), 'f.idx');
    expect(bad((b) => { b[0] = 0x1f; return b; })).toThrow('IDX file f.idx: wrong magic number 1f 00 08 02: expected 00 00 08 <rank> (not an IDX file)');
    expect(bad((b) => { b[2] = 0x0d; return b; })).toThrow('IDX file f.idx: element type float32 is not supported; expected unsigned bytes (0x08)');
    expect(bad((b) => { b[2] = 0x42; return b; })).toThrow('IDX file f.idx: unknown element type 0x42 in the magic number');
    expect(bad((b) => b.subarray(0, 3))).toThrow('IDX file f.idx: truncated: 3 bytes, too short for the 4-byte magic number');
    expect(bad((b) => b.subarray(0, 9))).toThrow('IDX file f.idx: truncated: 9 bytes, the header of a rank-2 file needs 12');
    expect(bad((b) => b.subarray(0, 14))).toThrow('IDX file f.idx: truncated: dimensions 2×2 need 4 bytes of data, the file has 2');
    expect(bad((b) => Uint8Array.from([...b, 9, 9]))).toThrow('IDX file f.idx: 2 unexpected bytes after the 2×2 values');
  });
});

describe('readIdxFile', () => {
  it('reads gzipped and raw files alike', () => {
    const dir = tempDir();
    const bytes = idxBytes([3], [4, 5, 6]);
    writeFileSync(join(dir, 'a.gz'), gzipSync(bytes));
    writeFileSync(join(dir, 'a'), bytes);
    expect(Array.from(readIdxFile(join(dir, 'a.gz')).data)).toEqual([4, 5, 6]);
    expect(Array.from(readIdxFile(join(dir, 'a')).data)).toEqual([4, 5, 6]);
  });

  it('reports truncated gzip data', () => {
    const dir = tempDir();
    const zipped = gzipSync(idxBytes([100], new Array(100).fill(3)));
    writeFileSync(join(dir, 'cut.gz'), zipped.subarray(0, zipped.length - 12));
    expect(() => readIdxFile(join(dir, 'cut.gz'))).toThrow(`IDX file ${join(dir, 'cut.gz')}: corrupt or truncated gzip data (unexpected end of file)`);
  });
});

describe('idxImageDataset and fashionMnist', () => {
  it('reads the four files of a folder, gzipped or raw, as 1×H×W images scaled to [0, 1]', () => {
    for (const gzip of [true, false]) {
      const dir = tempDir();
      writeTinyFashion(dir, 12, 5, gzip);
      const { train, test } = fashionMnist({ dir });
      expect([train.length, test.length]).toEqual([12, 5]);
      expect(train.imageShape).toEqual([1, 2, 3]);
      expect(Array.from(train.labels.subarray(9))).toEqual([9, 0, 1]);
      const image = new Float32Array(6);
      train.copyImage(3, image, 0);
      expect(Array.from(image)).toEqual([30, 31, 32, 33, 34, 35].map((v) => Math.fround(v / 255)));
      expect(train.classes[9]).toBe('Ankle boot');
    }
  });

  it('reports mismatched image and label counts', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'img'), idxBytes([3, 1, 1], [1, 2, 3]));
    writeFileSync(join(dir, 'lab'), idxBytes([2], [0, 1]));
    expect(() => idxImageDataset(join(dir, 'img'), join(dir, 'lab'), ['a', 'b'])).toThrow(`IDX dataset: ${join(dir, 'img')} holds 3 images but ${join(dir, 'lab')} holds 2 labels`);
    writeFileSync(join(dir, 'lab3'), idxBytes([3], [0, 1, 7]));
    expect(() => idxImageDataset(join(dir, 'img'), join(dir, 'lab3'), ['a', 'b'])).toThrow('ImageDataset: label 2 is 7, expected an integer in [0, 1]');
    expect(() => idxImageDataset(join(dir, 'lab'), join(dir, 'lab'), ['a', 'b'])).toThrow(`IDX file ${join(dir, 'lab')}: expected images [N, H, W], got dimensions [2]`);
  });

  it('says how to install the dataset when the folder lacks it', () => {
    const dir = tempDir();
    expect(() => fashionMnist({ dir })).toThrow(
      'fashionMnist: no folder holds fashion-mnist\'s files train-images-idx3-ubyte, train-labels-idx1-ubyte, ' +
        `t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (.gz or not). Looked in:\n  ${dir} (option): lacks train-images-idx3-ubyte, ` +
        'train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte\nInstall Debian\'s package with `sudo apt-get install dataset-fashion-mnist`',
    );
  });

  it.runIf(haveFashionMnist())('reads Debian\'s Fashion-MNIST: 60,000 + 10,000 images of 1×28×28, 6,000 per class', () => {
    const { train, test } = fashionMnist();
    expect([train.length, test.length]).toEqual([60000, 10000]);
    expect(train.imageShape).toEqual([1, 28, 28]);
    const counts = new Array(10).fill(0);
    for (const y of train.labels) counts[y]++;
    expect(counts).toEqual(new Array(10).fill(6000));
    let sum = 0;
    let squares = 0;
    for (const v of train.pixels) {
      sum += v / 255;
      squares += (v / 255) ** 2;
    }
    const mean = sum / train.pixels.length;
    expect(mean).toBeCloseTo(FASHION_MNIST_MEAN, 4);
    expect(Math.sqrt(squares / train.pixels.length - mean * mean)).toBeCloseTo(FASHION_MNIST_STD, 4);
  });
});
