import { describe, expect, it } from 'vitest';
import { DataLoader, fitTo, ImageDataset, Linear, pad, Tensor, zoo } from '../../src/index.js';

/** Two 1×2×3 images with pixels 0…5 and 6…11 (as bytes), labels 1 and 0. */
function tiny(): ImageDataset {
  return new ImageDataset(Uint8Array.from({ length: 12 }, (_, i) => i * 10), Int32Array.of(1, 0), [1, 2, 3], { classes: ['cat', 'dog'] });
}

describe('ImageDataset.get', () => {
  it('returns one image [C, H, W] scaled like the DataLoader, its label and class name', () => {
    const { image, label, className } = tiny().get(0);
    expect(image.shape).toEqual([1, 2, 3]);
    expect(Array.from(image.data)).toEqual([0, 10, 20, 30, 40, 50].map((v) => Math.fround(v / 255)));
    expect([label, className]).toEqual([1, 'dog']);
    const loaded = [...new DataLoader(tiny(), { batchSize: 2 })][0]!.inputs;
    expect(Array.from(tiny().get(1).image.data)).toEqual(Array.from(loaded.data.subarray(6)));
  });

  it('names the label itself when the dataset has no classes, and rejects bad indices', () => {
    const plain = new ImageDataset(new Float32Array(6), Int32Array.of(7), [1, 2, 3]);
    expect(plain.get(0).className).toBe('7');
    expect(plain.classes).toEqual([]);
    expect(() => tiny().get(2)).toThrow('ImageDataset.get: index must be an integer in [0, 1], got 2');
    expect(() => tiny().get(0.5)).toThrow('ImageDataset.get: index must be an integer in [0, 1], got 0.5');
  });
});

describe('fitTo', () => {
  const batch = (h: number, w: number): Tensor => new Tensor(Float32Array.from({ length: h * w }, (_, i) => i + 1), [1, 1, h, w]);

  it('pads 28×28 to LeNet-5\'s 32×32 exactly like pad(2)', () => {
    const x = batch(28, 28);
    const fitted = fitTo(zoo.lenet5())(x);
    expect(fitted.shape).toEqual([1, 1, 32, 32]);
    expect(Array.from(fitted.data)).toEqual(Array.from(pad(2)(x).data));
  });

  it('centre-crops larger images and leaves fitting ones alone', () => {
    const x = batch(4, 4);
    expect(Array.from(fitTo([1, 2, 2])(x).data)).toEqual([6, 7, 10, 11]);
    expect(fitTo([1, 4, 4])(x)).toBe(x);
  });

  it('fits one image [C, H, W] as well as a batch', () => {
    const image = new Tensor(Float32Array.from({ length: 4 }, (_, i) => i + 1), [1, 2, 2]);
    const fitted = fitTo([1, 4, 4])(image);
    expect(fitted.shape).toEqual([1, 4, 4]);
    expect(Array.from(fitted.data)).toEqual([0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
    expect(() => fitTo([1, 4, 4])(new Tensor(new Float32Array(4), [4]))).toThrow('fitTo: expected images [N, C, H, W] or one image [C, H, W], got [4]');
  });

  it('says what is wrong for models without a declared input, bad shapes and channel mismatches', () => {
    expect(() => fitTo(new Linear(2, 3))).toThrow('fitTo: Linear does not declare its input size; pass the sample shape instead, e.g. fitTo([1, 32, 32])');
    expect(() => fitTo([1, 0, 3] as const)).toThrow('fitTo: expected a sample shape [C, H, W] of positive integers, got [1,0,3]');
    expect(() => fitTo(zoo.lenet5())(new Tensor(new Float32Array(3 * 4), [1, 3, 2, 2]))).toThrow('fitTo: images have 3 channels, the target 1×32×32 has 1; channels are not converted');
  });
});

describe('zoo models that know their input', () => {
  it('LeNet-5 rejects 28×28 images, saying that pad(2) makes Fashion-MNIST fit', () => {
    const model = zoo.lenet5();
    expect(model.inputSpec).toEqual({ modelName: 'LeNet-5', shape: [1, 32, 32] });
    expect(() => model.call(new Tensor(new Float32Array(2 * 28 * 28), [2, 1, 28, 28]))).toThrow('LeNet-5: expects 1×32×32; got 1×28×28 — pad(2) makes Fashion-MNIST fit');
    expect(() => model.call(new Tensor(new Float32Array(24 * 24), [1, 1, 24, 24]))).toThrow('LeNet-5: expects 1×32×32; got 1×24×24 — pad(4) makes 24×24 images fit');
    expect(() => model.call(new Tensor(new Float32Array(3 * 32 * 32), [1, 3, 32, 32]))).toThrow('LeNet-5: expects 1×32×32; got 3×32×32 — build the model with { inChannels: 3 } for 3-channel images');
    expect(() => model.call(new Tensor(new Float32Array(32 * 32), [1, 32, 32]))).toThrow('LeNet-5: expects a batch [N, 1, 32, 32] (N×1×32×32); got a tensor of shape [1,32,32]');
    expect(model.call(new Tensor(new Float32Array(32 * 32), [1, 1, 32, 32])).shape).toEqual([1, 10]);
  });

  it('Caffe LeNet expects 28×28 and points to fitTo for sizes pad cannot fix', () => {
    expect(() => zoo.lenetCaffe().call(new Tensor(new Float32Array(30 * 30), [1, 1, 30, 30]))).toThrow('Caffe LeNet: expects 1×28×28; got 1×30×30 — fitTo(model) pads or centre-crops images to fit');
  });
});
