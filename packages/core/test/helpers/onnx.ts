import { spawnSync } from 'node:child_process';
import * as ort from 'onnxruntime-node';
import { BatchNorm2d, noGrad, Tensor, type Module } from '../../src/index.js';

/** Runs an ONNX file with onnxruntime-node on `x` (input `input`, output `output` unless named). */
export async function runOnnx(bytes: Uint8Array, x: Tensor, names: { input?: string; output?: string } = {}): Promise<Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const result = await session.run({ [names.input ?? 'input']: new ort.Tensor('float32', x.data, [...x.shape]) });
    const out = result[names.output ?? 'output']!;
    return new Tensor(Float32Array.from(out.data as Float32Array), out.dims.map(Number));
  } finally {
    await session.release();
  }
}

/** convlab's forward without recording gradients. */
export const forward = (model: Module, x: Tensor): Tensor => noGrad(() => model.call(x));

/** Largest |a − b| over the largest |b|: the "relative" error of the ONNX comparisons (shapes must agree). */
export function relativeError(actual: Tensor, expected: Tensor): number {
  if (actual.shape.join() !== expected.shape.join()) throw new Error(`shape mismatch: got [${actual.shape}] expected [${expected.shape}]`);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.size; i++) {
    scale = Math.max(scale, Math.abs(expected.data[i]!));
    worst = Math.max(worst, Math.abs(actual.data[i]! - expected.data[i]!));
  }
  return scale === 0 ? worst : worst / scale;
}

/** A deterministic input `[shape]` with values in (−1, 1) that differ per element. */
export function testInput(shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + 78.233)), shape);
}

/** Gives every BatchNorm2d non-trivial statistics and affine parameters, so that exports are tested on more than the identity. */
export function randomizeBatchNorms(model: Module): void {
  let k = 0;
  const next = (): number => Math.sin(++k * 7.31) * 0.5;
  for (const [, m] of model.namedModules()) {
    if (!(m instanceof BatchNorm2d)) continue;
    m.runningMean.data.forEach((_, i, a) => (a[i] = next() * 0.2));
    m.runningVar.data.forEach((_, i, a) => (a[i] = 1 + next()));
    m.weight?.data.forEach((_, i, a) => (a[i] = 1 + next()));
    m.bias?.data.forEach((_, i, a) => (a[i] = next()));
  }
}

/** True when `/usr/bin/python3` imports every module in `modules`; otherwise prints a notice naming what to install. */
export function pythonHas(modules: readonly string[], packages: string): boolean {
  const probe = spawnSync('/usr/bin/python3', ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (probe.status === 0) return true;
  console.warn(`notice: skipped — /usr/bin/python3 cannot import ${modules.join(', ')} (apt-get install ${packages})`);
  return false;
}

/** Runs a Python script with `/usr/bin/python3` and returns its stdout; throws with its stderr on failure. */
export function python(script: string, args: readonly string[] = []): string {
  const run = spawnSync('/usr/bin/python3', ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 failed (${run.status}):\n${run.stderr}`);
  return run.stdout;
}

/** Names, shapes and values (bit for bit) of a state dict, compared fast: vitest's deep equality walks large arrays element by element. */
export function sameStateDict(a: ReadonlyMap<string, Tensor>, b: ReadonlyMap<string, Tensor>): string[] {
  const problems: string[] = [];
  if ([...a.keys()].join() !== [...b.keys()].join()) problems.push(`names differ: ${[...a.keys()].join()} vs ${[...b.keys()].join()}`);
  for (const [name, t] of a) {
    const u = b.get(name);
    if (u === undefined) continue;
    if (t.shape.join() !== u.shape.join()) problems.push(`${name}: shape [${t.shape}] vs [${u.shape}]`);
    else if (!Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).equals(Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength))) problems.push(`${name}: values differ`);
  }
  return problems;
}
