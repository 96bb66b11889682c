import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '../../packages/core/src/index.js';
import { loadTorchCases, relativeMaxError } from '../../packages/core/test/helpers/fixtures.js';

/**
 * @convlab/core outside Node: its build bundled for browsers (rolldown) and run in Debian's
 * Chromium, once on a cross-origin-isolated page (SharedArrayBuffer: the WebAssembly kernels, on
 * the calling thread) and once on a plain page (no shared memory: the TypeScript kernels). Both
 * must pass the PyTorch conv fixtures, forward and backward, and train LeNet-5 to the very same
 * numbers as Node on the same backend.
 */
const CORE = resolve(__dirname, '../../packages/core/dist/index.js');
const CONV_CASES = loadTorchCases('conv_pool_conv2d');

type Core = typeof core;
/** Plain numbers, as they cross into and out of the page. */
interface CaseInput {
  readonly x: { data: number[]; shape: number[] };
  readonly weight: { data: number[]; shape: number[] };
  readonly bias: { data: number[]; shape: number[] } | null;
  readonly gradOut: number[];
  readonly options: core.Conv2dOptions;
}
interface PageResult {
  readonly isolated: boolean;
  readonly backend: string;
  readonly threads: number;
  readonly conv: { out: number[]; dx: number[]; dw: number[]; db: number[] | null }[];
  readonly lenet: { logits: number[]; losses: number[] };
  readonly errors: string[];
}

const plain = (t: core.Tensor): { data: number[]; shape: number[] } => ({ data: Array.from(t.data), shape: [...t.shape] });
const caseInputs: CaseInput[] = CONV_CASES.map((c) => ({
  x: plain(c.tensors.x!),
  weight: plain(c.tensors.weight!),
  bias: c.tensors.bias === undefined ? null : plain(c.tensors.bias),
  gradOut: Array.from(c.tensors.grad_out!.data),
  options: {
    stride: c.args.stride as core.IntPair,
    padding: c.args.padding as core.ConvPadding,
    dilation: c.args.dilation as core.IntPair,
    groups: c.args.groups as number,
  },
}));

/**
 * What both sides run: the conv cases (forward and the three gradients), then LeNet-5 from seed 0:
 * logits of 8 images under noGrad (the fused inference path), and 3 SGD steps on a batch of 16.
 * Runs in the page (given the bundle's `convlab`) and in Node (given the core module).
 */
function workload(c: Core, cases: readonly CaseInput[]): Pick<PageResult, 'conv' | 'lenet'> {
  const tensor = (t: { data: number[]; shape: number[] }, grad = false): core.Tensor => new c.Tensor(Float32Array.from(t.data), t.shape, grad);
  const conv = cases.map((k) => {
    const x = tensor(k.x, true);
    const w = tensor(k.weight, true);
    const b = k.bias === null ? null : tensor(k.bias, true);
    const y = c.conv2d(x, w, b, k.options);
    y.backward(new c.Tensor(Float32Array.from(k.gradOut), y.shape));
    return { out: Array.from(y.data), dx: Array.from(x.grad!.data), dw: Array.from(w.grad!.data), db: b === null ? null : Array.from(b.grad!.data) };
  });
  c.manualSeed(0);
  const model = c.zoo.lenet5();
  const images = new c.Tensor(Float32Array.from({ length: 16 * 32 * 32 }, (_, i) => Math.sin(i * 0.37)), [16, 1, 32, 32]);
  const labels = Int32Array.from({ length: 16 }, (_, i) => (i * 3) % 10);
  const logits = Array.from(c.noGrad(() => model.call(images)).data.subarray(0, 8 * 10));
  const optimizer = new c.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    optimizer.zeroGrad();
    const loss = c.crossEntropy(model.call(images), labels);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  return { conv, lenet: { logits, losses } };
}

let server: Server;
let base = '';
let browser: Browser;

beforeAll(async () => {
  const bundle = await build({ input: CORE, platform: 'browser', write: false, output: { format: 'iife', name: 'convlab' } });
  const script = bundle.output[0].code;
  const html = '<!doctype html><meta charset="utf-8"><title>convlab core</title><script src="convlab.js"></script>';
  server = createServer((request, response) => {
    const [, mode, file] = (request.url ?? '').split('/');
    if ((mode !== 'isolated' && mode !== 'plain') || (file !== '' && file !== 'convlab.js')) {
      response.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': file === '' ? 'text/html' : 'text/javascript' };
    if (mode === 'isolated') Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    response.writeHead(200, headers).end(file === '' ? html : script);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

/** Loads the page in `mode`, runs {@link workload} and the error checks in it. */
async function runInPage(mode: 'isolated' | 'plain'): Promise<PageResult> {
  const page: Page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${base}/${mode}/`);
  const result = await page.evaluate(
    ({ source, cases }) => {
      const c = (globalThis as unknown as { convlab: Core }).convlab;
      const run = new Function(`return (${source})`)() as typeof workload;
      const errors: string[] = [];
      for (const attempt of [() => c.fashionMnist(), () => c.setNumThreads(2)]) {
        try {
          attempt();
          errors.push('no error');
        } catch (error) {
          errors.push((error as Error).message);
        }
      }
      return { isolated: globalThis.crossOriginIsolated, backend: c.getBackend(), threads: c.getNumThreads(), errors, ...run(c, cases) };
    },
    { source: workload.toString(), cases: caseInputs },
  );
  await page.close();
  expect(problems).toEqual([]);
  return result;
}

/** The same workload in Node on `backend` (restoring the backend chosen before). */
function runInNode(backend: core.Backend): Pick<PageResult, 'conv' | 'lenet'> {
  const before = core.getBackend();
  core.setBackend(backend);
  try {
    return workload(core, caseInputs);
  } finally {
    core.setBackend(before);
  }
}

describe('@convlab/core bundled for the browser, in Chromium', () => {
  it.each([
    ['isolated', 'wasm', true],
    ['plain', 'ts', false],
  ] as const)('on the %s page: the %s kernels on one thread, the PyTorch conv fixtures, and LeNet-5 exactly as in Node', async (mode, backend, isolated) => {
    const result = await runInPage(mode);
    expect([result.isolated, result.backend, result.threads]).toEqual([isolated, backend, 1]);
    expect(result.errors).toEqual([
      'fashionMnist: needs Node.js (node:fs); this JavaScript engine has no file access',
      'setNumThreads: worker threads need Node.js (node:worker_threads); here the kernels run on the calling thread only, got 2',
    ]);
    expect(result.conv).toHaveLength(CONV_CASES.length); // every PyTorch conv fixture case (119: the Winograd, first-layer, kept-weight, taps and F(4×4) weight-gradient path cases included)
    expect(CONV_CASES.length).toBe(119);
    const t = (values: number[], like: core.Tensor): core.Tensor => new core.Tensor(Float32Array.from(values), like.shape);
    CONV_CASES.forEach((c, i) => {
      const got = result.conv[i]!;
      const errors = [
        relativeMaxError(t(got.out, c.tensors.out!), c.tensors.out!),
        relativeMaxError(t(got.dx, c.tensors.grad_x!), c.tensors.grad_x!),
        relativeMaxError(t(got.dw, c.tensors.grad_weight!), c.tensors.grad_weight!),
        got.db === null ? 0 : relativeMaxError(t(got.db, c.tensors.grad_bias!), c.tensors.grad_bias!),
      ];
      expect(Math.max(...errors), c.name).toBeLessThanOrEqual(1e-4);
    });
    const node = runInNode(backend);
    expect(result.conv).toEqual(node.conv);
    expect(result.lenet.logits).toHaveLength(80);
    expect(result.lenet).toEqual(node.lenet);
    expect(result.lenet.losses[2]).toBeLessThan(result.lenet.losses[0]!);
  });
});
