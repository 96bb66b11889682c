import { describe, expect, it } from 'vitest';
import {
  AvgPool2d, DataLoader, F, Linear, randn, tensor, zeros, confusionMatrix, explainUnit, exportOnnx, exportPyTorch, gradCam, layerStats, misclassified, saliency,
  SGD, Tensor, avgPool2d, checkOptions, conv2d, convParams,
  fcParams, describeValue, earlyStopping, evaluate, fashionMnist, fit, maxPool2d, maxPool2dWithIndices, opt, suggestName, summary, zoo, ImageDataset,
} from '../src/index.js';

describe('checkOptions', () => {
  const types = { lr: opt.number, weightDecay: opt.number, mode: opt.oneOf('min', 'max'), size: opt.pair, flag: opt.nullable(opt.boolean) };

  it('accepts known keys of the right type and undefined values', () => {
    expect(checkOptions('Op', { lr: 0.1, mode: 'min', size: [2, 3], flag: null, weightDecay: undefined }, types)).toEqual({ lr: 0.1, mode: 'min', size: [2, 3], flag: null, weightDecay: undefined });
    expect(checkOptions('Op', undefined, types)).toEqual({});
  });

  it('suggests the camelCase name for snake_case, other casings and dashes', () => {
    expect(() => checkOptions('Op', { weight_decay: 0.5 }, types)).toThrow('Op: unknown option weight_decay, did you mean weightDecay?');
    expect(() => checkOptions('Op', { WEIGHTDECAY: 0.5 }, types)).toThrow('Op: unknown option WEIGHTDECAY, did you mean weightDecay?');
    expect(suggestName('T_max', ['tMax', 'etaMin'])).toBe('tMax');
    expect(suggestName('batch_size', ['batch-size'])).toBe('batch-size');
    expect(suggestName('momentum2', ['momentum'])).toBeUndefined();
  });

  it('lists the known options for other unknown keys', () => {
    expect(() => checkOptions('Op', { speed: 1 }, types)).toThrow('Op: unknown option speed (known options: lr, weightDecay, mode, size, flag)');
    expect(() => checkOptions('Op', { toString: 1 }, types)).toThrow('Op: unknown option toString (known options: lr, weightDecay, mode, size, flag)');
  });

  it('names the option, what was expected and what came', () => {
    expect(() => checkOptions('Op', { lr: '0.1' }, types)).toThrow('Op: option lr must be a number, got "0.1" (a string)');
    expect(() => checkOptions('Op', { mode: 'mid' }, types)).toThrow('Op: option mode must be \'min\' or \'max\', got "mid" (a string)');
    expect(() => checkOptions('Op', { size: [1, 2, 3] }, types)).toThrow('Op: option size must be a number or a pair [h, w], got [1,2,3] (an array)');
    expect(() => checkOptions('Op', { flag: 1 }, types)).toThrow('Op: option flag must be true or false or null, got 1');
    expect(() => checkOptions('Op', 0.1 as never, types)).toThrow('Op: options must be an object like { lr, weightDecay }, got 0.1');
    expect(() => checkOptions('Op', [0.1] as never, types)).toThrow('Op: options must be an object like { lr, weightDecay }, got [0.1] (an array)');
  });

  it('describes values the way errors show them', () => {
    expect(describeValue(Tensor.zeros([2, 3]))).toBe('a Tensor of shape [2,3]');
    expect(describeValue({ a: 1 })).toBe('an object');
    expect(describeValue(new Map())).toBe('a Map');
    expect(describeValue(undefined)).toBe('undefined');
  });
});

describe('options objects across the library', () => {
  const data = new ImageDataset(new Float32Array(16), Int32Array.from([0, 1, 0, 1]), [1, 2, 2]);
  it('zoo builders, summary, DataLoader, fit, evaluate and earlyStopping reject unknown and mistyped options', () => {
    expect(() => zoo.resnet18({ num_classes: 10 } as never)).toThrow('resnet18: unknown option num_classes, did you mean numClasses?');
    expect(() => zoo.lenet5({ numClasses: '10' } as never)).toThrow('lenet5: option numClasses must be an integer, got "10" (a string)');
    expect(() => summary(zoo.lenet5(), [1, 32, 32], { maxDepth: 2 } as never)).toThrow('summary: unknown option maxDepth (known options: depth, colNames)');
    expect(() => new DataLoader(data, { batch_size: 2 } as never)).toThrow('DataLoader: unknown option batch_size, did you mean batchSize?');
    expect(() => new DataLoader(data, { shuffle: 'yes' } as never)).toThrow('DataLoader: option shuffle must be true or false, got "yes" (a string)');
    const model = zoo.lenet5();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const train = new DataLoader(data);
    expect(() => fit(model, { train, optimizer, num_epochs: 2 } as never)).toThrow(
      'fit: unknown option num_epochs (known options: train, validation, optimizer, loss, epochs, metrics, callbacks, scheduler, signal, seed)',
    );
    expect(() => fit(model, { train: [], optimizer } as never)).toThrow('fit: option train must be a DataLoader, got [] (an array)');
    expect(() => evaluate(model, train, { metric: [] } as never)).toThrow('evaluate: unknown option metric (known options: loss, metrics)');
    expect(() => earlyStopping({ min_delta: 0.1 } as never)).toThrow('earlyStopping: unknown option min_delta, did you mean minDelta?');
  });
});

describe('layer, functional-op and dataset options', () => {
  const x = Tensor.zeros([1, 1, 4, 4]);
  const w = Tensor.zeros([2, 1, 3, 3]);

  it('AvgPool2d and Linear name the layer, the option and what came', () => {
    expect(() => new AvgPool2d(2, { count_include_pad: false } as never)).toThrow('AvgPool2d(2): unknown option count_include_pad, did you mean countIncludePad?');
    expect(() => new AvgPool2d(2, { divisorOverride: 3 } as never)).toThrow('AvgPool2d(2): unknown option divisorOverride (known options: stride, padding, ceilMode, countIncludePad)');
    expect(() => new AvgPool2d(2, { ceilMode: 1 } as never)).toThrow('AvgPool2d(2): option ceilMode must be true or false, got 1');
    expect(() => new AvgPool2d([2, 3], { stride: '2' } as never)).toThrow('AvgPool2d((2, 3)): option stride must be a number or a pair [h, w], got "2" (a string)');
    expect(new AvgPool2d(2, { stride: 1, countIncludePad: false }).call(x).shape).toEqual([1, 1, 3, 3]);
    expect(() => new Linear(4, 2, { Bias: false } as never)).toThrow('Linear(4→2): unknown option Bias, did you mean bias?');
    expect(() => new Linear(4, 2, { bias: 0 } as never)).toThrow('Linear(4→2): option bias must be true or false, got 0');
    expect(() => new Linear(4, 2, { dtype: 'float32' } as never)).toThrow('Linear(4→2): unknown option dtype (known options: bias)');
    expect(new Linear(4, 2, { bias: false }).bias).toBeNull();
  });

  it('the functional conv2d, avgPool2d and maxPool2d check their options objects', () => {
    expect(() => conv2d(x, w, null, { dilations: 2 } as never)).toThrow('conv2d: unknown option dilations (known options: stride, padding, dilation, groups)');
    expect(() => conv2d(x, w, null, { padding: 'full' } as never)).toThrow("conv2d: option padding must be a number or a pair [h, w] or 'same' or 'valid', got \"full\" (a string)");
    expect(() => conv2d(x, w, null, { groups: 1.5 })).toThrow('conv2d: option groups must be an integer, got 1.5');
    expect(conv2d(x, w, null, { padding: 'same' }).shape).toEqual([1, 2, 4, 4]);
    expect(() => avgPool2d(x, { kernel_size: 2 } as never)).toThrow('avgPool2d: unknown option kernel_size, did you mean kernelSize?');
    expect(() => avgPool2d(x, { kernelSize: 2, divisor_override: 3 } as never)).toThrow('avgPool2d: unknown option divisor_override, did you mean divisorOverride?');
    expect(() => avgPool2d(x, { kernelSize: 2, countIncludePad: 'no' } as never)).toThrow('avgPool2d: option countIncludePad must be true or false, got "no" (a string)');
    expect(() => avgPool2d(x, { kernelSize: 2, divisorOverride: 2.5 })).toThrow('avgPool2d: option divisorOverride must be an integer, got 2.5');
    expect(avgPool2d(x, { kernelSize: 2, divisorOverride: 3 }).shape).toEqual([1, 1, 2, 2]);
    expect(() => maxPool2d(x, { kernelSize: 2, return_indices: true } as never)).toThrow(
      'maxPool2d: unknown option return_indices (known options: kernelSize, stride, padding, dilation, ceilMode)',
    );
    expect(() => maxPool2dWithIndices(x, { kernelSize: 2, ceil_mode: true } as never)).toThrow('maxPool2d: unknown option ceil_mode, did you mean ceilMode?');
    expect(() => maxPool2d(x, 2 as never)).toThrow('maxPool2d: options must be an object like { kernelSize, stride }, got 2');
  });

  it('the other functional ops with options objects, and the parameter counters', () => {
    const y = Tensor.zeros([1, 2, 2, 2]);
    expect(() => F.convTranspose2d(y, Tensor.zeros([2, 2, 3, 3]), null, { output_padding: 1 } as never)).toThrow('convTranspose2d: unknown option output_padding, did you mean outputPadding?');
    expect(() => F.maxUnpool2d(y, Tensor.zeros([1, 2, 2, 2]), { kernelSize: 2, output_size: [4, 4] } as never)).toThrow('maxUnpool2d: unknown option output_size, did you mean outputSize?');
    expect(() => F.maxUnpool2d(y, Tensor.zeros([1, 2, 2, 2]), { kernelSize: 2, outputSize: 4 } as never)).toThrow('maxUnpool2d: option outputSize must be an array of numbers, got 4');
    expect(() => F.batchNorm(y, null, null, null, null, { training: true, running_mean: null } as never)).toThrow(
      'batchNorm: unknown option running_mean (known options: training, momentum, eps)',
    );
    expect(() => F.batchNorm2d(y, null, null, null, null, { momentum: 0.1 } as never)).toThrow('batchNorm2d: option training is required (true: batch statistics, false: running ones), got undefined');
    expect(() => F.batchNorm2d(y, null, null, null, null, { training: 1 } as never)).toThrow('batchNorm2d: option training must be true or false, got 1');
    expect(() => convParams(3, 8, 3, { bias: 'no' } as never)).toThrow('convParams: option bias must be true or false, got "no" (a string)');
    expect(() => convParams(3, 8, 3, { padding: 1 } as never)).toThrow('convParams: unknown option padding (known options: bias, groups)');
    expect(() => fcParams(10, 5, { Bias: false } as never)).toThrow('fcParams: unknown option Bias, did you mean bias?');
  });

  it('the inspection and export functions', () => {
    const model = zoo.lenet5();
    const image = Tensor.zeros([1, 32, 32]);
    const loader = new DataLoader(new ImageDataset(new Float32Array(2 * 32 * 32), Int32Array.from([0, 1]), [1, 32, 32]));
    expect(() => confusionMatrix(model, loader, { class_names: [] } as never)).toThrow('confusionMatrix: unknown option class_names (known options: classes)');
    expect(() => misclassified(model, loader, { true_class: 1 } as never)).toThrow('misclassified: unknown option true_class, did you mean trueClass?');
    expect(() => explainUnit(model, image, { layer: 'conv1', channel: '0' } as never)).toThrow('explainUnit: option channel must be a number, got "0" (a string)');
    expect(() => gradCam(model, image, { layer: 'conv2', target_class: 3 } as never)).toThrow('gradCam: unknown option target_class (known options: layer, target)');
    expect(() => saliency(model, image, { Target: 3 } as never)).toThrow('saliency: unknown option Target, did you mean target?');
    expect(() => layerStats(model, { every: 'batch' } as never)).toThrow("layerStats: option every must be 'epoch' or a number, got \"batch\" (a string)");
    expect(() => exportOnnx(model, [1, 32, 32], { opset_version: 13 } as never)).toThrow('exportOnnx: unknown option opset_version (known options: opset, inputName, outputName)');
    expect(() => exportPyTorch(model, { class_name: 'Net' } as never)).toThrow('exportPyTorch: unknown option class_name, did you mean className?');
  });

  it('the tensor factories', () => {
    expect(() => tensor([1, 2], { requires_grad: true } as never)).toThrow('tensor: unknown option requires_grad, did you mean requiresGrad?');
    expect(() => zeros([2], { dtype: 'int64' } as never)).toThrow('zeros: unknown option dtype (known options: requiresGrad, generator)');
    expect(() => randn([2], { generator: 7 } as never)).toThrow('randn: option generator must be a Generator, got 7');
    expect(tensor([1, 2], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('fashionMnist checks its options before looking for files', () => {
    expect(() => fashionMnist({ root: '/data' } as never)).toThrow('fashionMnist: unknown option root (known options: dir)');
    expect(() => fashionMnist({ Dir: '/data' } as never)).toThrow('fashionMnist: unknown option Dir, did you mean dir?');
    expect(() => fashionMnist({ dir: 42 } as never)).toThrow('fashionMnist: option dir must be a string, got 42');
  });
});
