import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SummaryJson } from '../../src/index.js';
import { loadTorchCases } from '../helpers/fixtures.js';

/** The built command (`convlab` bin); `npm test` builds it first (tests/setup-machine.sh runs `tsc -b`). */
const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function convlab(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing: build first with npx tsc -b`);
});

describe('convlab summary', () => {
  it('--json prints exactly the documented shape', () => {
    const r = convlab('summary', 'vgg16', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('}\n')).toBe(true);
    const json = JSON.parse(r.stdout) as SummaryJson;
    expect(Object.keys(json)).toEqual(['model', 'input', 'layers', 'totalParams', 'trainableParams', 'totalMacs']);
    expect([json.model, json.input, json.totalParams, json.trainableParams, json.totalMacs]).toEqual(['vgg16', [3, 224, 224], 138_357_544, 138_357_544, 15_470_264_320]);
    expect(json.layers).toHaveLength(40);
    for (const layer of json.layers) expect(Object.keys(layer)).toEqual(['name', 'type', 'outputShape', 'params', 'macs', 'receptiveField']);
    expect(json.layers[0]).toEqual(
      { name: 'features.0', type: 'Conv2d', outputShape: [64, 224, 224], params: 1792, macs: 86_704_128, receptiveField: { size: [3, 3], stride: [1, 1], padding: [1, 1] } }
    );
    expect(json.layers[30]).toEqual(
      { name: 'features.30', type: 'MaxPool2d', outputShape: [512, 7, 7], params: 0, macs: 0, receptiveField: { size: [212, 212], stride: [32, 32], padding: [90, 90] } }
    );
    expect(json.layers[33]).toEqual({ name: 'classifier.0', type: 'Linear', outputShape: [4096], params: 102_764_544, macs: 102_760_448, receptiveField: null });
  });

  it("fcnResnet50 is in the catalog: torchvision's parameter count, the input's H×W back for any --input", () => {
    const torchvision = loadTorchCases('zoo_fcn')[0]!.args as { params: number; outShapes: Record<string, number[]> };
    const r = convlab('summary', 'fcnResnet50', '--json', '--depth', '1');
    expect([r.code, r.stderr]).toEqual([0, '']);
    const json = JSON.parse(r.stdout) as SummaryJson;
    expect([json.model, json.input, json.totalParams, json.trainableParams]).toEqual(['fcnResnet50', [3, 224, 224], torchvision.params, torchvision.params]);
    expect(json.layers.map((l) => [l.name, l.outputShape])).toEqual([['backbone', [2048, 28, 28]], ['classifier', [21, 28, 28]], ['upsample', [21, 224, 224]]]);
    const [size, out] = Object.entries(torchvision.outShapes).find(([hw]) => hw !== '[224, 224]')!;
    const [h, w] = JSON.parse(size) as [number, number];
    const other = JSON.parse(convlab('summary', 'fcnResnet50', '--json', '--input', `3x${h}x${w}`).stdout) as SummaryJson;
    expect(other.layers.at(-1)!.outputShape).toEqual(out.slice(1));
  });

  it('--input changes the input and --depth folds blocks', () => {
    const r = convlab('summary', 'resnet18', '--input', '3x32x32', '--depth', '1', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as SummaryJson;
    expect(json.input).toEqual([3, 32, 32]);
    expect(json.layers.map((l) => [l.name, l.outputShape])).toEqual([
      ['conv1', [64, 16, 16]], ['bn1', [64, 16, 16]], ['relu', [64, 16, 16]], ['maxpool', [64, 8, 8]],
      ['layer1', [64, 8, 8]], ['layer2', [128, 4, 4]], ['layer3', [256, 2, 2]], ['layer4', [512, 1, 1]],
      ['avgpool', [512, 1, 1]], ['flatten', [512]], ['fc', [1000]],
    ]);
    expect(json.totalMacs).toBe(37_016_576 + 512 * 1000 - 512 * 10);
  });

  it('prints the table without --json', () => {
    const r = convlab('summary', 'lenet5');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('LeNet5 · input 1×32×32 (one sample)');
    expect(lines[2]).toMatch(/^Layer +Type +Output shape +Params +Param share +MACs +Activation memory +RF size +jump +padding$/);
    expect(lines[4]).toMatch(/^conv1 +Conv2d +6×28×28 +156 +0\.3% +117,600 +18\.4 KiB +5 +1 +0$/);
    expect(lines.at(-2)).toBe("Activations: 58.6 KiB per sample (every layer's float32 output)");
    expect(r.stdout).toContain('Params: 61,706 (trainable 61,706, non-trainable 0)');
  });

  it('prints the columns --col-names chooses, in its order (torchinfo\'s col_names)', () => {
    const r = convlab('summary', 'lenet5', '--col-names', 'receptiveField,numParams,outputSize');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[2]).toMatch(/^Layer +RF size +jump +padding +Params +Output shape$/);
    expect(lines[4]).toMatch(/^conv1 +5 +1 +0 +156 +6×28×28$/);
    const usage = ' (usage: convlab summary <zoo-model> [--input CxHxW] [--depth N] [--col-names a,b,…] [--json])\n';
    const expected: [string[], string][] = [
      [
        ['--col-names', 'outputSize,flops'],
        "--col-names: unknown column 'flops'; expected one of type, arguments, outputSize, numParams, paramsPercent, trainable, multAdds, activationMemory, receptiveField",
      ],
      [['--col-names', 'numParams,numParams'], "--col-names: repeats 'numParams'"],
      [['--col-names', 'numParams', '--json'], "--col-names chooses the table's columns; --json always prints every field"],
    ];
    for (const [flags, message] of expected) {
      const bad = convlab('summary', 'lenet5', ...flags);
      expect(bad.code).toBe(2);
      if (flags.includes('--json')) expect(JSON.parse(bad.stdout)).toEqual({ error: `convlab summary: ${message}${usage.trimEnd()}`, code: 2 });
      else expect(bad.stderr).toBe(`convlab summary: ${message}${usage}`);
    }
  });

  it('exits with 2 and one line on stderr for unknown models and inputs too small for the network', () => {
    const unknown = convlab('summary', 'vgg19');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe("convlab summary: unknown model 'vgg19'; the zoo has lenet5, lenetCaffe, alexnet, vgg11, vgg16, vgg16bn, resnet18, resnet34, resnet50, nin, googlenet, fcnResnet50\n");
    const small = convlab('summary', 'vgg16', '--input', '3x16x16');
    expect(small.code).toBe(2);
    expect(small.stderr).toBe('convlab summary: vgg16 on 3×16×16: features.30 (MaxPool2d): kernel 2×2 is larger than the padded input 1×1 (input shape [1,512,1,1])\n');
    const channels = convlab('summary', 'lenet5', '--input', '3x32x32');
    expect(channels.code).toBe(2);
    expect(channels.stderr).toBe('convlab summary: lenet5 on 3×32×32: conv1 (Conv2d): expected input with 1 channels, got 3 (input shape [1,3,32,32])\n');
  });

  it('exits with 2 and a usage line for bad arguments', () => {
    const usage = '(usage: convlab summary <zoo-model> [--input CxHxW] [--depth N] [--col-names a,b,…] [--json])\n';
    for (const [args, message] of [
      [['summary'], 'expected one model name, got none'],
      [['summary', 'lenet5', 'vgg16'], 'expected one model name, got lenet5 vgg16'],
      [['summary', 'lenet5', '--input', '32x32'], "--input must be CxHxW with positive integers (e.g. 3x224x224), got '32x32'"],
      [['summary', 'lenet5', '--depth', '1.5'], "--depth must be a positive integer, got '1.5'"],
    ] as const) {
      const r = convlab(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`convlab summary: ${message} ${usage}`);
    }
    const option = convlab('summary', 'lenet5', '--verbose');
    expect(option.code).toBe(2);
    expect(option.stderr.split('\n')).toHaveLength(2);
    expect(option.stderr).toBe(`convlab summary: unknown option --verbose (known options: --input, --depth, --col-names, --json) ${usage}`);
    expect(convlab('summary', 'lenet5', '--Depth', '2').stderr).toBe(`convlab summary: unknown option --Depth, did you mean --depth? ${usage}`);
  });
});

describe('convlab', () => {
  it('lists its commands with --help, and exits with 2 without a known command', () => {
    expect(convlab('--help')).toEqual({
      code: 0,
      stdout:
        'usage: convlab <command> …\n  convlab summary <zoo-model> [--input CxHxW] [--depth N] [--col-names a,b,…] [--json]\n' +
        '  convlab train <zoo-model> --dataset fashion-mnist [--epochs N] [--batch-size B] [--lr X] [--limit K] [--seed S] [--data-dir DIR] [--json]\n' +
        '  convlab init <folder> [--packages DIR]\n' +
        '  convlab export <zoo-model | weights.safetensors> [--model NAME] [--in-channels C] [--classes K] [--input CxHxW] [--seed S] [--onnx out.onnx [--opset N]] [--pytorch out.py] [--json]\n' +
        '  convlab import <model.onnx> [--input CxHxW] [--weights out.safetensors] [--json]\n',
      stderr: '',
    });
    const none = convlab();
    expect(none.code).toBe(2);
    expect(none.stderr.split('\n')[0]).toBe('convlab: no command given');
    const unknown = convlab('fly');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe("convlab: unknown command 'fly'");
  });
});

describe('convlab train (the built bin)', () => {
  it('trains a zoo model on a Fashion-MNIST slice and ends with the JSON report', () => {
    const r = convlab('train', 'lenet5', '--dataset', 'fashion-mnist', '--epochs', '1', '--limit', '256', '--seed', '3', '--json');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const report = JSON.parse(lines[lines.length - 1]!) as { epochs: Record<string, number>[]; testAccuracy: number; imagesPerSecond: number };
    expect(report.epochs).toHaveLength(1);
    expect(Object.keys(report.epochs[0]!)).toEqual(['epoch', 'trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy', 'seconds']);
    expect(report.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(report.testAccuracy).toBeLessThanOrEqual(1);
    expect(report.imagesPerSecond).toBeGreaterThan(0);
  });

  it('refuses the segmentation model with exit code 2 and the classifiers it can train', () => {
    const r = convlab('train', 'fcnResnet50', '--dataset', 'fashion-mnist');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'convlab train: zoo: fcnResnet50 is a segmentation model (a score map per class); train takes a classifier: ' +
        'lenet5, lenetCaffe, alexnet, vgg11, vgg16, vgg16bn, resnet18, resnet34, resnet50, nin, googlenet',
    );
  });

  it('rejects an unknown model with exit code 2 and the zoo names', () => {
    const r = convlab('train', 'lenet6', '--dataset', 'fashion-mnist');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      "convlab train: zoo: unknown model 'lenet6'; the zoo has lenet5, lenetCaffe, alexnet, vgg11, vgg16, vgg16bn, resnet18, resnet34, resnet50, nin, googlenet, fcnResnet50",
    );
  });
});
