import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BatchNorm1d, Conv2d, ConvTranspose2d, Dropout2d, exportPyTorch, Flatten, GELU, LayerNorm, Linear, manualSeed, saveSafetensors, saveWeights, Sequential, Upsample, withoutWeights, zoo, type Module,
} from '../../src/index.js';
import { Branches, ThreeWayResidual } from '../helpers/flows.js';
import { forward, python, pythonHas, randomizeBatchNorms, testInput } from '../helpers/onnx.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-pytorch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Loads each twin in Debian's PyTorch: imports the written module, loads the safetensors weights
 * with load_state_dict (strict), runs the saved input in eval mode and prints, per model, the
 * missing and unexpected keys and the largest |torch − convlab| / max |convlab|. A job without
 * weights (the big models) prints the twin's state-dict names and shapes instead. Debian has no
 * python3-safetensors, so unless `safetensors.torch` imports, a small reader of the format
 * (8-byte header length, JSON header, little-endian float32 data) stands in for its load_file.
 */
const TWIN_CHECK = `
import importlib.util, json, sys, torch
try:
    from safetensors.torch import load_file
except ImportError:
    def load_file(path):
        data = open(path, 'rb').read()
        n = int.from_bytes(data[:8], 'little')
        header = json.loads(data[8:8 + n])
        out = {}
        for name, e in header.items():
            if name == '__metadata__':
                continue
            assert e['dtype'] == 'F32', e['dtype']
            begin, end = e['data_offsets']
            out[name] = torch.frombuffer(bytearray(data[8 + n + begin:8 + n + end]), dtype=torch.float32).reshape(e['shape'])
        return out
torch.set_num_threads(1)
results = {}
for job in json.loads(sys.argv[1]):
    spec = importlib.util.spec_from_file_location(job['module'], job['py'])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = getattr(module, job['className'])()
    if job['weights'] is None:
        results[job['module']] = {'state': [[k, list(v.shape)] for k, v in model.state_dict().items()]}
        continue
    keys = model.load_state_dict(load_file(job['weights']))
    model.eval()
    io = load_file(job['io'])
    with torch.no_grad():
        y = model(io['input'])
    expected = io['output']
    error = ((y - expected).abs().max() / expected.abs().max()).item() if y.shape == expected.shape else None
    results[job['module']] = {'missing': keys.missing_keys, 'unexpected': keys.unexpected_keys, 'shape': list(y.shape), 'error': error}
print(json.dumps(results))
`;

/**
 * Light enough for CI on 2 cores: the models with up to 33M weights run in PyTorch on small inputs;
 * AlexNet and VGG-11, whose classifiers alone hold 58M and 120M weights, are built without weights
 * and checked by structure: their twins' state-dict names and shapes, in order, equal convlab's
 * (so load_state_dict would match every key; their layers' numerics are those of the others).
 */
describe('exportPyTorch: the twin in Debian\'s PyTorch', () => {
  const cases: [string, () => Module, number[], number][] = [
    ['lenet5', () => zoo.lenet5(), [1, 32, 32], 3],
    ['lenetCaffe', () => zoo.lenetCaffe(), [1, 28, 28], 3],
    ['resnet18', () => zoo.resnet18(), [3, 32, 32], 2],
    ['googlenet', () => zoo.googlenet(), [3, 32, 32], 2],
    ['nin', () => zoo.nin(), [3, 48, 48], 2],
    ['fcnResnet50', () => zoo.fcnResnet50(), [3, 32, 32], 1],
    ['upsampling', () => new Sequential(
      new ConvTranspose2d(3, 4, 3, { stride: 2, padding: 1, outputPadding: 1 }), new ConvTranspose2d(4, 4, 2, { dilation: 2, groups: 2, bias: false }),
      new Upsample({ scaleFactor: [2, 3] }), new Upsample({ scaleFactor: 1.5, mode: 'bilinear' }), new Upsample({ size: [9, 13], mode: 'bilinear', alignCorners: true }),
    ), [3, 4, 5], 2],
    ['normsAndGelus', () => new Sequential(
      new Conv2d(2, 4, 3), new GELU(), new LayerNorm([4, 4, 4]), new GELU('tanh'), new Dropout2d(0.3), new Flatten(), new BatchNorm1d(64), new Linear(64, 3),
    ), [2, 6, 6], 3],
    ['branches', () => new Branches(), [4, 8, 8], 2],
    ['residual3', () => new ThreeWayResidual(), [3, 6, 6], 2],
    ['sequential', () => new Sequential(new Conv2d(3, 4, 3, { padding: 'same' }), new Conv2d(4, 2, 1)), [3, 5, 5], 2],
    ['paddingModes', () => new Sequential(
      new Conv2d(3, 4, 3, { padding: 1, paddingMode: 'reflect' }), new Conv2d(4, 4, 3, { padding: 2, paddingMode: 'replicate' }), new Conv2d(4, 2, 3, { padding: 1, paddingMode: 'circular' }),
    ), [3, 6, 6], 2],
  ];

  const structureOnly: [string, () => Module][] = [['alexnet', () => zoo.alexnet()], ['vgg11', () => zoo.vgg11()]];

  it('every zoo model and the residual/concat/upsampling flows: all state-dict keys match and the outputs equal convlab\'s', () => {
    if (!pythonHas(['torch'], 'python3-torch')) return;
    const big = structureOnly.map(([name, build]) => {
      const model = withoutWeights(build);
      const py = join(dir, `${name}.py`);
      writeFileSync(py, exportPyTorch(model));
      const state = [...model.namedParameters(), ...model.namedBuffers()].map(([key, t]) => [key, [...t.shape]]);
      return { module: name, py, weights: null, io: null, className: model.typeName, state };
    });
    const jobs = cases.map(([name, build, shape, batch]) => {
      manualSeed(5);
      const model = build().eval();
      randomizeBatchNorms(model);
      const className = ['sequential', 'paddingModes', 'upsampling', 'normsAndGelus'].includes(name) ? 'Stack' : model.typeName;
      const py = join(dir, `${name}.py`);
      writeFileSync(py, exportPyTorch(model, { className }));
      const weights = join(dir, `${name}.safetensors`);
      saveWeights(model, weights);
      const x = testInput([batch, ...shape]);
      const io = join(dir, `${name}-io.safetensors`);
      saveSafetensors(io, [['input', x], ['output', forward(model, x)]]);
      return { module: name, py, weights, io, className, shape: [batch, ...forward(model, x).shape.slice(1)] };
    });
    const results = JSON.parse(python(TWIN_CHECK, [JSON.stringify([...big, ...jobs])])) as Record<string, { missing: string[]; unexpected: string[]; shape: number[]; error: number; state: unknown }>;
    const sorted = (state: unknown): unknown => [...(state as [string, number[]][])].sort((a, b) => a[0].localeCompare(b[0]));
    for (const job of big) expect({ name: job.module, state: sorted(results[job.module]!.state) }).toEqual({ name: job.module, state: sorted(job.state) });
    for (const job of jobs) {
      const r = results[job.module]!;
      expect({ name: job.module, missing: r.missing, unexpected: r.unexpected, shape: r.shape }).toEqual({ name: job.module, missing: [], unexpected: [], shape: job.shape });
      expect(r.error, job.module).toBeLessThan(1e-4);
    }
  }, 600_000);
});

describe('exportPyTorch: source', () => {
  it('writes torchvision-style names, one class per distinct block, and merges as + and torch.cat', () => {
    const resnet = exportPyTorch(zoo.resnet18());
    expect(resnet.match(/^class \w+/gm)).toEqual([
      'class BasicBlock', 'class BasicBlock_2', 'class BasicBlock_3', 'class BasicBlock_4', 'class BasicBlock_5', 'class BasicBlock_6', 'class BasicBlock_7', 'class ResNet',
    ]);
    expect(resnet).toContain('        self.layer1 = nn.Sequential(BasicBlock(), BasicBlock())\n');
    expect(resnet).toContain('        x7 = x5 + x6  # add\n');
    const inception = exportPyTorch(new Branches(), { className: 'Net' });
    expect(inception).toContain("        self.a = nn.Conv2d(4, 3, kernel_size=(3, 3), stride=(1, 1), padding='same', dilation=(2, 2), groups=1, bias=True)\n");
    expect(inception).toMatch(/^ {8}x4 = torch\.cat\(\[x1, x2, x3\], 1\) {2}# cat$/m);
    expect(exportPyTorch(new Sequential(new Conv2d(1, 1, 3, { padding: 1, paddingMode: 'reflect' })))).toContain(
      "nn.Conv2d(1, 1, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1, bias=True, padding_mode='reflect')",
    );
    const fcn = exportPyTorch(withoutWeights(() => zoo.fcnResnet50()));
    expect(fcn).toContain("class UpsampleToInput(nn.Module):\n    def forward(self, x, size):\n        return nn.functional.interpolate(x, size=size, mode='bilinear', align_corners=False)\n");
    expect(fcn).toContain('        self.upsample = UpsampleToInput()\n');
    expect(fcn).toMatch(/^ {8}x3 = self\.upsample\(x2, x\.shape\[-2:\]\)$/m);
    expect(exportPyTorch(new Sequential(new ConvTranspose2d(2, 4, 3, { stride: 2, outputPadding: 1, groups: 2 }), new Upsample({ scaleFactor: [2, 1.5], mode: 'bilinear' })))).toContain(
      'super().__init__(nn.ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(2, 2), padding=(0, 0), output_padding=(1, 1), groups=2, bias=True, dilation=(1, 1)), ' +
        "nn.Upsample(scale_factor=(2.0, 1.5), mode='bilinear', align_corners=False))",
    );
    expect(() => exportPyTorch(new Sequential(new zoo.UpsampleToInput()))).toThrow(
      "exportPyTorch: 0 (UpsampleToInput): runs only as a child of an FCN, whose forward gives it the input's size",
    );
    expect(() => exportPyTorch(zoo.lenet5(), { className: 'class' })).toThrow("exportPyTorch: className must be a Python identifier, got 'class'");
    expect(() => exportPyTorch(new Conv2d(1, 1, 1))).toThrow('exportPyTorch: exports containers (Sequential, FlowModule); wrap the single Conv2d in a Sequential');
  });
});
