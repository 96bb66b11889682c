import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Conv2d, exportPyTorch, manualSeed, saveSafetensors, saveWeights, Sequential, zoo, type Module } from '../../src/index.js';
import { Branches, ThreeWayResidual } from '../helpers/flows.js';
import { forward, python, pythonHas, randomizeBatchNorms, testInput } from '../helpers/onnx.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-pytorch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Loads each twin in Debian's PyTorch: imports the written module, loads the safetensors weights
 * with load_state_dict (strict), runs the saved input in eval mode and prints, per model, the
 * missing and unexpected keys and the largest |torch − convlab| / max |convlab|. Debian has no
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

describe('exportPyTorch: the twin in Debian\'s PyTorch', () => {
  const cases: [string, () => Module, number[], number][] = [
    ['lenet5', () => zoo.lenet5(), [1, 32, 32], 3],
    ['lenetCaffe', () => zoo.lenetCaffe(), [1, 28, 28], 3],
    ['alexnet', () => zoo.alexnet({ numClasses: 10 }), [3, 63, 63], 1],
    ['vgg11', () => zoo.vgg11({ numClasses: 10 }), [3, 32, 32], 1],
    ['resnet18', () => zoo.resnet18(), [3, 64, 64], 2],
    ['googlenet', () => zoo.googlenet(), [3, 64, 64], 2],
    ['nin', () => zoo.nin(), [3, 96, 96], 2],
    ['branches', () => new Branches(), [4, 8, 8], 2],
    ['residual3', () => new ThreeWayResidual(), [3, 6, 6], 2],
    ['sequential', () => new Sequential(new Conv2d(3, 4, 3, { padding: 'same' }), new Conv2d(4, 2, 1)), [3, 5, 5], 2],
    ['paddingModes', () => new Sequential(
      new Conv2d(3, 4, 3, { padding: 1, paddingMode: 'reflect' }), new Conv2d(4, 4, 3, { padding: 2, paddingMode: 'replicate' }), new Conv2d(4, 2, 3, { padding: 1, paddingMode: 'circular' }),
    ), [3, 6, 6], 2],
  ];

  it('every zoo model and the residual/concat flows: all state-dict keys match and the outputs equal convlab\'s', () => {
    if (!pythonHas(['torch'], 'python3-torch')) return;
    const jobs = cases.map(([name, build, shape, batch]) => {
      manualSeed(5);
      const model = build().eval();
      randomizeBatchNorms(model);
      const className = name === 'sequential' || name === 'paddingModes' ? 'Stack' : model.typeName;
      const py = join(dir, `${name}.py`);
      writeFileSync(py, exportPyTorch(model, { className }));
      const weights = join(dir, `${name}.safetensors`);
      saveWeights(model, weights);
      const x = testInput([batch, ...shape]);
      const io = join(dir, `${name}-io.safetensors`);
      saveSafetensors(io, [['input', x], ['output', forward(model, x)]]);
      return { module: name, py, weights, io, className, shape: [batch, ...forward(model, x).shape.slice(1)] };
    });
    const results = JSON.parse(python(TWIN_CHECK, [JSON.stringify(jobs)])) as Record<string, { missing: string[]; unexpected: string[]; shape: number[]; error: number }>;
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
    expect(resnet.match(/^class \w+/gm)).toEqual(['class BasicBlock', 'class BasicBlock_2', 'class BasicBlock_3', 'class BasicBlock_4', 'class BasicBlock_5', 'class BasicBlock_6', 'class BasicBlock_7', 'class ResNet']);
    expect(resnet).toContain('        self.layer1 = nn.Sequential(BasicBlock(), BasicBlock())\n');
    expect(resnet).toContain('        x7 = x5 + x6  # add\n');
    const inception = exportPyTorch(new Branches(), { className: 'Net' });
    expect(inception).toContain("        self.a = nn.Conv2d(4, 3, kernel_size=(3, 3), stride=(1, 1), padding='same', dilation=(2, 2), groups=1, bias=True)\n");
    expect(inception).toMatch(/^ {8}x4 = torch\.cat\(\[x1, x2, x3\], 1\) {2}# cat$/m);
    expect(exportPyTorch(new Sequential(new Conv2d(1, 1, 3, { padding: 1, paddingMode: 'reflect' })))).toContain(
      "nn.Conv2d(1, 1, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1, bias=True, padding_mode='reflect')",
    );
    expect(() => exportPyTorch(zoo.lenet5(), { className: 'class' })).toThrow("exportPyTorch: className must be a Python identifier, got 'class'");
    expect(() => exportPyTorch(new Conv2d(1, 1, 1))).toThrow('exportPyTorch: exports containers (Sequential, FlowModule); wrap the single Conv2d in a Sequential');
  });
});
