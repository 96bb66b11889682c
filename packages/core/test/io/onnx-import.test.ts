import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { onnx } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { Conv2d, exportOnnx, importOnnx, manualSeed, Sequential, stateDict, summary, Tensor, Upsample, zoo } from '../../src/index.js';
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

  it("a decoder (Pad reflect/edge before Conv, ConvTranspose, Resize nearest/bilinear, Resize to the input's size from Shape nodes) gives PyTorch's outputs", () => {
    const f = torchFixture('decoder');
    const model = importOnnx(f.bytes);
    expect(model.opset).toBe(13);
    const rows = summary(model, [3, 16, 16]).rows;
    expect(rows.map((r) => `${r.name} ${r.type}(${r.arguments}) ${r.outputShape.join('×')}`)).toEqual([
      "conv1 Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), padding_mode=reflect) 8×8×8",
      'Relu ReLU() 8×8×8',
      'up1 ConvTranspose2d(8, 8, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), bias=False) 8×16×16',
      "conv2 Conv2d(8, 8, kernel_size=(3, 5), stride=(1, 1), padding=(1, 2), padding_mode=replicate) 8×16×16",
      'up2_Resize Upsample(scale_factor=2.0, mode=nearest) 8×32×32',
      'up3_Resize Upsample(scale_factor=1.5, mode=bilinear) 8×48×48',
      'pool_MaxPool MaxPool2d(kernel_size=4, stride=4, padding=0, dilation=1, ceil_mode=False) 8×12×12',
      'head Conv2d(8, 4, kernel_size=(1, 1), stride=(1, 1)) 4×12×12',
      'Resize Upsample(size=16, mode=bilinear) 4×16×16',
    ]);
    expect(relativeError(forward(model, f.input), f.output)).toBeLessThan(1e-5);
  });

  it('GELU (Div → Erf → Add → Mul → Mul) and LayerNormalization (opset 17) give PyTorch\'s outputs', () => {
    const f = torchFixture('gelu_layer_norm');
    const model = importOnnx(f.bytes);
    expect(model.opset).toBe(17);
    expect(summary(model, [3, 8, 8]).rows.map((r) => `${r.name} ${r.type}(${r.arguments})`)).toEqual([
      '0 Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))', "1_Mul_1 GELU(approximate='none')", '2 LayerNorm((8, 6, 6), eps=1e-05, elementwise_affine=True)',
      '3_Flatten Flatten(start_dim=1, end_dim=-1)', '4 Linear(in_features=288, out_features=5, bias=True)',
    ]);
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
      "importOnnx: node 'relu1' (Elu): unsupported operator Elu; convlab imports Conv, ConvTranspose, Resize, Gemm, BatchNormalization, LayerNormalization, MaxPool, " +
        "AveragePool, GlobalAveragePool, Flatten, Reshape, Dropout, Relu, Sigmoid, Tanh, LeakyRelu, Gelu, Softmax, LogSoftmax, Identity, Add, Sum, Concat, Pad (before a Conv), " +
        "Div → Erf → Add → Mul → Mul (GELU), Constant and shape arithmetic on constants (Shape, Slice, Gather, Concat, Unsqueeze, Cast, ConstantOfShape, Reshape, Transpose)",
    );
  });

  it('names a Pad that feeds no Conv and a Resize whose sampling PyTorch does not have', () => {
    const padded = onnx.ModelProto.decode(exportOnnx(new Sequential(new Conv2d(1, 2, 3, { padding: 1, paddingMode: 'reflect' })), [1, 6, 6]));
    expect(padded.graph!.node.map((n) => `${n.opType} ${n.name}`)).toEqual(['Pad 0.pad', 'Conv 0']);
    padded.graph!.node[1]!.opType = 'MaxPool';
    expect(() => importOnnx(onnx.ModelProto.encode(padded).finish())).toThrow("importOnnx: node '0.pad' (Pad): a Pad is imported only as the padding of the one Conv it feeds");
    const resized = onnx.ModelProto.decode(exportOnnx(new Sequential(new Upsample({ scaleFactor: 2, mode: 'bilinear' })), [1, 6, 6]));
    resized.graph!.node[0]!.attribute.find((a) => a.name === 'mode')!.s = new TextEncoder().encode('cubic');
    expect(() => importOnnx(onnx.ModelProto.encode(resized).finish())).toThrow(
      "importOnnx: node '0' (Resize): sampling mode 'cubic' with coordinate_transformation_mode 'half_pixel' is not one " +
        "of PyTorch's; convlab imports nearest (asymmetric, floor) and linear (half_pixel, pytorch_half_pixel, align_corners)",
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
