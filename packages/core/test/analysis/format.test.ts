import { describe, expect, it } from 'vitest';
import { Conv2d, formatSummary, Sequential, summary, summaryJson, withoutWeights, zoo } from '../../src/index.js';

const caffe = (): ReturnType<typeof summary> => summary(withoutWeights(() => zoo.lenetCaffe()), [1, 28, 28]);

describe('formatSummary', () => {
  it('prints Caffe LeNet as a plain-text table with totals', () => {
    expect(formatSummary(caffe())).toBe(
      [
        'LeNetCaffe · input 1×28×28 (one sample)',
        '─'.repeat(112),
        'Layer    Type       Output shape   Params  Param share       MACs  Activation memory      RF size  jump  padding',
        '─'.repeat(112),
        'conv1    Conv2d     20×24×24          520         0.1%    288,000           45.0 KiB            5     1        0',
        'pool1    MaxPool2d  20×12×12            0         0.0%          0           11.3 KiB            6     2        0',
        'conv2    Conv2d     50×8×8         25,050         5.8%  1,600,000           12.5 KiB           14     2        0',
        'pool2    MaxPool2d  50×4×4              0         0.0%          0            3.1 KiB           16     4        0',
        'flatten  Flatten    800                 0         0.0%          0            3.1 KiB            -',
        'ip1      Linear     500           400,500        92.9%    400,000            2.0 KiB  whole input',
        'relu1    ReLU       500                 0         0.0%          0            2.0 KiB  whole input',
        'ip2      Linear     10              5,010         1.2%      5,000               40 B  whole input',
        '─'.repeat(112),
        'Params: 431,080 (trainable 431,080, non-trainable 0) · 1.6 MiB as float32',
        'MACs: 2,293,000 (2.29 M) per sample',
        'Activations: 78.9 KiB per sample (every layer\'s float32 output)',
      ].join('\n'),
    );
  });

  it('shows per-axis fields as h×w and marks windows that see the whole image', () => {
    const resnet = formatSummary(summary(withoutWeights(() => zoo.resnet50()), [3, 224, 224], { depth: 1 })).split('\n');
    expect(resnet.find((l) => l.startsWith('avgpool'))).toMatch(/ \(all\) 619 {3}224 {6}213$/);
    expect(resnet.at(-2)).toBe('MACs: 4,089,184,256 (4.09 G) per sample');
    const wide = formatSummary(summary(new Sequential(new Conv2d(1, 2, [3, 5], { stride: [1, 2], padding: [0, 2] })), [1, 8, 9])).split('\n');
    expect(wide[0]).toBe('Sequential · input 1×8×9 (one sample)');
    expect(wide[4]).toBe('0      Conv2d  2×6×5             32       100.0%   900              240 B      3×5   1×2      0×2');
  });

});

describe('formatSummary with colNames', () => {
  it('shows the chosen columns in the given order, with the trainable flag and the arguments', () => {
    const lenet = zoo.lenet5();
    lenet.conv1.weight.requiresGrad_(false);
    const lines = formatSummary(summary(lenet, [1, 32, 32], { colNames: ['outputSize', 'numParams', 'trainable', 'arguments'] })).split('\n');
    expect(lines.slice(1, 6)).toEqual([
      '─'.repeat(105),
      'Layer    Output shape  Params  Trainable  Arguments',
      '─'.repeat(105),
      'conv1    6×28×28          156  partly     1, 6, kernel_size=(5, 5), stride=(1, 1)',
      'relu1    6×28×28            0  —',
    ]);
    expect(lines[11]).toBe('fc1      120           48,120  yes        in_features=400, out_features=120, bias=True');
  });

  it('names an unknown or repeated column and lists the known ones', () => {
    expect(() => summary(zoo.lenet5(), [1, 32, 32], { colNames: ['outputSize', 'memory'] })).toThrow(
      "summary of LeNet5: colNames[1] is 'memory'; expected one of type, arguments, outputSize, numParams, paramsPercent, trainable, multAdds, activationMemory, receptiveField",
    );
    expect(() => summary(zoo.lenet5(), [1, 32, 32], { colNames: ['numParams', 'numParams'] })).toThrow("summary of LeNet5: colNames[1] repeats 'numParams'");
  });
});

describe('summaryJson', () => {
  it('has exactly the CLI\'s shape', () => {
    const json = summaryJson(caffe(), 'lenetCaffe');
    expect(Object.keys(json)).toEqual(['model', 'input', 'layers', 'totalParams', 'trainableParams', 'totalMacs']);
    expect(json.model).toBe('lenetCaffe');
    expect(json.input).toEqual([1, 28, 28]);
    expect(json.layers.map((l) => Object.keys(l))).toEqual(json.layers.map(() => ['name', 'type', 'outputShape', 'params', 'macs', 'receptiveField']));
    expect(json.layers[3]).toEqual({ name: 'pool2', type: 'MaxPool2d', outputShape: [50, 4, 4], params: 0, macs: 0, receptiveField: { size: [16, 16], stride: [4, 4], padding: [0, 0] } });
    expect(json.layers[5]).toEqual({ name: 'ip1', type: 'Linear', outputShape: [500], params: 400_500, macs: 400_000, receptiveField: null });
    expect([json.totalParams, json.trainableParams, json.totalMacs]).toEqual([431_080, 431_080, 2_293_000]);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
