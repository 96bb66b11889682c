import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { onnx } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx, manualSeed, stateDict, summary, Tensor, zoo } from '../../src/index.js';
import { forward, relativeError, sameStateDict } from '../helpers/onnx.js';

const fixtures = fileURLToPath(new URL('../../../../tests/fixtures/onnx/', import.meta.url));

interface EncodedTensor {
  shape: number[];
  data: string;
}

function decode(t: EncodedTensor): Tensor {
  const bytes = Buffer.from(t.data, 'base64');
  return new Tensor(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), t.shape);
}

/** A file exported by torch.onnx.export (tests/fixtures/make_onnx_fixtures.py) with PyTorch's input and output. */
function torchFixture(stem: string): { bytes: Uint8Array; input: Tensor; output: Tensor; opset: number } {
  const doc = JSON.parse(readFileSync(`${fixtures}${stem}.json`, 'utf8')) as { opset: number; input: EncodedTensor; output: EncodedTensor };
  return { bytes: readFileSync(`${fixtures}${stem}.onnx`), input: decode(doc.input), output: decode(doc.output), opset: doc.opset };
}

describe('importOnnx: files exported by PyTorch', () => {
  it("the tutorial LeNet (functional ReLUs and pools, torch.flatten) gives PyTorch's outputs", () => {
    const f = torchFixture('lenet_tutorial');
    const model = importOnnx(f.bytes);
    expect(model.opset).toBe(13);
    expect(model.inputShape).toEqual([1, 32, 32]);
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      'conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'fc3.weight', 'fc3.bias',
    ]);
    // The functional F.relu and F.max_pool2d calls (nodes /Relu, /Relu_1, …) become one ReLU and one MaxPool2d called repeatedly.
    expect(summary(model, [1, 32, 32]).rows.map((r) => `${r.name} ${r.type}`)).toEqual([
      'conv1 Conv2d', 'Relu ReLU', 'MaxPool MaxPool2d', 'conv2 Conv2d', 'Relu ReLU', 'MaxPool MaxPool2d', 'Flatten Flatten',
      'fc1 Linear', 'Relu ReLU', 'fc2 Linear', 'Relu ReLU', 'fc3 Linear',
    ]);
    expect(summary(model, [1, 32, 32]).totals.params).toBe(61_706);
    expect(relativeError(forward(model, f.input), f.output)).toBeLessThan(1e-5);
  });

  it("a ResNet block (batch norm folded into the convs, downsampling shortcut) gives PyTorch's outputs", () => {
    const f = torchFixture('resnet_block');
    const model = importOnnx(f.bytes);
    expect(model.opset).toBe(14);
    const rows = summary(model, [3, 16, 16]).rows;
    expect(rows.map((r) => `${r.type} ${r.outputShape.join('×')}`)).toEqual([
      'Conv2d 8×16×16', 'ReLU 8×16×16', 'MaxPool2d 8×8×8', 'Conv2d 16×4×4', 'ReLU 16×4×4', 'Conv2d 16×4×4', 'Conv2d 16×4×4', 'Add 16×4×4',
      'ReLU 16×4×4', 'AdaptiveAvgPool2d 16×1×1', 'Flatten 16', 'Linear 5',
    ]);
    expect(rows[7]!.name).toBe('layer1_Add');
    expect(relativeError(forward(model, f.input), f.output)).toBeLessThan(1e-5);
  });
});

describe('importOnnx: errors', () => {
  /** LeNet's export with one node's operator renamed. */
  function withOperator(op: string): Uint8Array {
    manualSeed(0);
    const proto = onnx.ModelProto.decode(exportOnnx(zoo.lenet5(), [1, 32, 32]));
    proto.graph!.node![1]!.opType = op;
    return onnx.ModelProto.encode(proto).finish();
  }

  it('names an unsupported operator and its node', () => {
    expect(() => importOnnx(withOperator('Elu'))).toThrow(
      "importOnnx: node 'relu1' (Elu): unsupported operator Elu; convlab imports Conv, Gemm, BatchNormalization, MaxPool, AveragePool, GlobalAveragePool, Flatten, Reshape, Dropout, Relu, Sigmoid, Tanh, LeakyRelu, Softmax, LogSoftmax, Identity, Add, Sum, Concat, Constant",
    );
  });

  it('refuses bytes that are not ONNX and graphs that are not chains, forks and merges', () => {
    expect(() => importOnnx(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(/^importOnnx: not an ONNX model/);
    const proto = onnx.ModelProto.decode(exportOnnx(zoo.lenet5(), [1, 32, 32]));
    proto.graph!.node![3]!.input![0] = 'input';
    expect(() => importOnnx(onnx.ModelProto.encode(proto).finish())).toThrow(
      "importOnnx: value 'input': its consumers do not meet again at one Add, Sum or Concat; convlab imports graphs made of chains, forks and merges",
    );
  });
});

describe('importOnnx: round trip of a trained-looking model', () => {
  it('export → import gives the same parameters under the same names, the same summary and the same outputs', () => {
    manualSeed(3);
    const model = zoo.resnet18({ numClasses: 7 }).eval();
    const bytes = exportOnnx(model, [3, 32, 32]);
    const back = importOnnx(bytes);
    expect(back.typeName).toBe('ResNet');
    expect(summary(back, [3, 32, 32], { depth: 2 }).rows.map((r) => r.name)).toEqual(summary(model, [3, 32, 32], { depth: 2 }).rows.map((r) => r.name));
    expect(sameStateDict(stateDict(back), stateDict(model))).toEqual([]);
    const x = new Tensor(Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.cos(i)), [2, 3, 32, 32]);
    expect(forward(back, x).data).toEqual(forward(model, x).data);
    const again = onnx.ModelProto.decode(exportOnnx(back, [3, 32, 32])).graph!;
    const first = onnx.ModelProto.decode(bytes).graph!;
    expect(again.node).toEqual(first.node);
    expect(again.initializer.map((t) => t.name)).toEqual(first.initializer.map((t) => t.name));
    expect(again.initializer.every((t, i) => Buffer.from(t.rawData).equals(first.initializer[i]!.rawData))).toBe(true);
  });
});
