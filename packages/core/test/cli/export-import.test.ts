import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPyTorch, importOnnx, manualSeed, saveWeights, zoo, type ExportReport, type ImportReport } from '../../src/index.js';
import { forward, testInput } from '../helpers/onnx.js';

const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'convlab-cli-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function convlab(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('convlab export / import', () => {
  it('export <zoo-model> --json writes the file and reports it; import --json summarises it', () => {
    const out = join(dir, 'lenet.onnx');
    const r = convlab('export', 'lenet5', '--seed', '4', '--onnx', out, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ExportReport;
    expect(report).toEqual({ model: 'lenet5', weights: 'seed 4', input: [1, 32, 32], params: 61_706, onnx: { path: out, bytes: readFileSync(out).length, opset: 13 }, pytorch: null });
    manualSeed(4);
    const reference = zoo.lenet5().eval();
    const x = testInput([2, 1, 32, 32]);
    expect(forward(importOnnx(readFileSync(out)), x).data).toEqual(forward(reference, x).data);

    const weights = join(dir, 'lenet.safetensors');
    const i = convlab('import', out, '--json', '--weights', weights);
    expect(i.code).toBe(0);
    const imported = JSON.parse(i.stdout) as ImportReport;
    expect(Object.keys(imported)).toEqual(['file', 'opset', 'model', 'input', 'layers', 'totalParams', 'trainableParams', 'totalMacs', 'weights']);
    expect([imported.model, imported.opset, imported.input, imported.totalParams, imported.weights]).toEqual(['LeNet5', 13, [1, 32, 32], 61_706, weights]);
    expect(imported.layers.map((l) => l.name)).toEqual(['conv1', 'relu1', 'pool1', 'conv2', 'relu2', 'pool2', 'flatten', 'fc1', 'relu3', 'fc2', 'relu4', 'fc3']);
  });

  it('export <weights.safetensors> --model uses those weights', () => {
    manualSeed(9);
    const trained = zoo.lenet5({ inChannels: 1, numClasses: 10 }).eval();
    const weights = join(dir, 'trained.safetensors');
    saveWeights(trained, weights);
    const out = join(dir, 'trained.onnx');
    const py = join(dir, 'twin.py');
    const r = convlab('export', weights, '--model', 'lenet5', '--onnx', out, '--pytorch', py);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${out}: lenet5 (${weights}), input batch×1×32×32, 61,706 parameters, opset 13, 243 KiB\n${py}: class LeNet5, weights in ${join(dir, 'twin.safetensors')}\n`);
    expect(readFileSync(py, 'utf8')).toBe(exportPyTorch(trained, { className: 'LeNet5' }));
    expect(readFileSync(join(dir, 'twin.safetensors'))).toEqual(readFileSync(weights));
    const x = testInput([3, 1, 32, 32]);
    expect(forward(importOnnx(readFileSync(out)), x).data).toEqual(forward(trained, x).data);
  });

  it('exits with 2 and says why for bad arguments and unsupported files', () => {
    const noOut = convlab('export', 'lenet5');
    expect([noOut.code, noOut.stderr.split('\n')[0]]).toEqual([2, 'convlab export: give --onnx out.onnx, --pytorch out.py or both']);
    const noModel = convlab('export', 'w.safetensors', '--onnx', 'x.onnx');
    expect(noModel.stderr.split('\n')[0]).toMatch(/^convlab export: a weights file needs --model with its architecture \(lenet5, /);
    const missing = convlab('import', join(dir, 'nothing.onnx'));
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([2, `convlab import: cannot read ${join(dir, 'nothing.onnx')} (ENOENT)`]);
  });
});
