import { describe, expect, it } from 'vitest';
import { ceilingFraction, convPaths, formatTables, pathGflops, ratios, targets, type Report, type Result } from '../src/report.js';

const result = (workload: Result['workload'], system: string, throughput: number, unit: Result['unit'] = 'img/s'): Result => ({
  workload, system, throughput, unit, medianMs: 1000 / throughput, samples: 5, runsPerSample: 12,
  spread: { minMs: 900 / throughput, q1Ms: 950 / throughput, q3Ms: 1050 / throughput, maxMs: 1200 / throughput, relativeIqr: 0.1 },
});

const results: Result[] = [
  result('lenet-train-b64', 'convlab', 4000),
  result('lenet-train-b64', 'pytorch', 3200),
  result('lenet-train-b64', 'convnetjs', 160),
  result('lenet-infer-b256', 'convlab', 12000),
  result('lenet-infer-b256', 'tfjs-wasm', 15000),
  result('conv64-fwd', 'convlab', 45, 'GFLOP/s'),
  result('conv64-fwd', 'tfjs-wasm', 25, 'GFLOP/s'),
  result('conv64-fwdbwd', 'convlab', 38, 'GFLOP/s'),
  result('cifar-vgg-train-b128', 'convlab', 170),
  result('cifar-vgg-train-b128', 'pytorch', 400),
  result('resnet18-infer-b1', 'convlab', 30),
  result('resnet18-infer-b1', 'pytorch', 45),
];

describe('ratios', () => {
  it('divide convlab throughput by each peer’s on the same workload (> 1: convlab faster)', () => {
    expect(ratios(results)).toEqual({
      'lenet-train-b64': { pytorch: 1.25, convnetjs: 25 },
      'lenet-infer-b256': { 'tfjs-wasm': 0.8 },
      'conv64-fwd': { 'tfjs-wasm': 1.8 },
      'conv64-fwdbwd': {},
      'cifar-vgg-train-b128': { pytorch: 0.425 },
      'resnet18-infer-b1': { pytorch: 30 / 45 },
    });
  });
});

describe('targets', () => {
  const partial = {
    machine: { date: '2026-01-01' },
    results,
    ratios: ratios(results),
    checks: { memory: { steps: 300, probes: 3, peakRssMB: 120, rssAfterWarmupMB: 118, rssEndMB: 119, rssGrowthMB: 1 }, summaryMs: { vgg16: 1, resnet50: 25 } },
    skipped: [],
  };
  const list = targets(partial);
  const met = Object.fromEntries(list.map((t) => [t.name, t.met]));

  it('judge each goal of the issue from this run', () => {
    expect(met).toEqual({
      'LeNet training b64 vs PyTorch': false,
      'CIFAR VGG training b128 vs PyTorch': false,
      'ResNet-18 training b8 112² vs PyTorch': null,
      'ResNet-18 inference b1 vs PyTorch': true,
      'VGG-16 inference b1 vs PyTorch': null,
      'conv64 forward': false,
      'conv64 forward vs tfjs-wasm': false,
      'conv64 forward+backward': false,
      'LeNet inference b256 vs tfjs-wasm': false,
      'LeNet training b64 vs ConvNetJS': true,
      'peak RSS training LeNet b64': true,
      'RSS growth after warm-up': true,
      'summary() VGG-16': true,
      'summary() ResNet-50': false,
    });
    expect(list.find((t) => t.name === 'conv64 forward+backward')).toEqual({ name: 'conv64 forward+backward', value: 38, goal: '≥ 40 GFLOP/s', met: false });
  });

  it('print as Markdown tables with the ratio per peer and an unmet target marked', () => {
    const report: Report = { ...partial, targets: list };
    const text = formatTables(report);
    expect(text).toContain('| lenet-train-b64 | pytorch | 0.31 | 0.28–0.38 | ±5.0 % | 3,200 img/s | 1.25× | 5 × 12 |');
    expect(text).toContain('| CIFAR VGG training b128 vs PyTorch | 0.43 | ≥ 1× | NO |');
    expect(text).toContain('| ResNet-18 training b8 112² vs PyTorch | — | ≥ 0.8× | not measured |');
    expect(text).toContain('| conv64 forward+backward | 38.00 | ≥ 40 GFLOP/s | NO |');
    expect(text).toContain('3 fresh processes (medians): peak RSS 120 MB, 118 MB after warm-up, 119 MB at the end, growth 1 MB.');
  });
});

describe('convPaths', () => {
  it('keeps the conv calls of a trace, one entry per layer and path with its count, in order of first call', () => {
    const macs = 8 * 64 * 56 * 56 * 64 * 9;
    const conv = { kernel: 'conv2dForward', backend: 'wasm', threads: 2, path: 'winograd', shape: 'x [8,64,56,56] w [64,64,3,3] padding 1', multiplyAdds: macs, ms: 30 } as const;
    const back = { kernel: 'conv2dBackward', backend: 'wasm', threads: 2, path: 'input winograd, weight im2col-gemm', shape: conv.shape, multiplyAdds: 2 * macs, ms: 80 } as const;
    const paths = convPaths([
      conv, { kernel: 'reluForward', backend: 'wasm', threads: 1, ms: 1 }, { ...conv, ms: 34 }, { ...conv, backend: 'ts', threads: 1, path: 'im2col-gemm', ms: 900 }, back,
      { ...back, kernel: 'conv2dBatchNormBackward', ms: 90 },
    ]);
    expect(paths).toEqual([
      { kernel: 'conv2dForward', shape: conv.shape, path: 'winograd', backend: 'wasm', threads: 2, calls: 2, ms: 64, multiplyAdds: 2 * macs },
      { kernel: 'conv2dForward', shape: conv.shape, path: 'im2col-gemm', backend: 'ts', threads: 1, calls: 1, ms: 900, multiplyAdds: macs },
      { kernel: 'conv2dBackward', shape: conv.shape, path: 'input winograd, weight im2col-gemm', backend: 'wasm', threads: 2, calls: 1, ms: 80, multiplyAdds: 2 * macs },
      { kernel: 'conv2dBatchNormBackward', shape: conv.shape, path: 'input winograd, weight im2col-gemm', backend: 'wasm', threads: 2, calls: 1, ms: 90, multiplyAdds: 2 * macs },
    ]);
    // 2 × 924,844,032 multiply-adds in 64 ms: 57.8 GFLOP/s; of a 95 GFLOP/s two-thread ceiling, 0.608.
    expect(pathGflops(paths[0]!)).toBeCloseTo((4 * macs) / 64e6, 9);
    const ceiling = { fusedMultiplyAdd: true, oneThreadGflops: 48, threads: 2, allThreadsGflops: 95 };
    expect(ceilingFraction(paths[0]!, ceiling)).toBeCloseTo((4 * macs) / 64e6 / 95, 12);
    expect(ceilingFraction(paths[1]!, ceiling)).toBeCloseTo((2 * macs) / 900e6 / 48, 12);
  });

  it('are printed as a table after the results, with their rate and its share of the SIMD ceiling', () => {
    const traced: Result = {
      ...result('conv64-fwd', 'convlab', 45, 'GFLOP/s'),
      kernelPaths: [
        { kernel: 'conv2dForward', shape: 'x [8,64,56,56] w [64,64,3,3] padding 1', path: 'winograd', backend: 'wasm', threads: 2, calls: 1, ms: 25, multiplyAdds: 924_844_032 },
        { kernel: 'conv2dForward', shape: 'x [1,3,9,9] w [4,3,1,1] stride 2', path: 'im2col-gemm', backend: 'ts', threads: 1, calls: 1, ms: 0.5, multiplyAdds: 300_000 },
      ],
    };
    const simdCeiling = { fusedMultiplyAdd: true, oneThreadGflops: 48, threads: 2, allThreadsGflops: 95 };
    const report: Report = {
      machine: { date: '2026-01-01' }, results: [traced], ratios: {}, checks: { memory: null, summaryMs: null, simdCeiling }, targets: [], skipped: [],
    };
    expect(formatTables(report).split('\n').slice(-8)).toEqual([
      'SIMD ceiling (independent f32x4 fused multiply-adds, best of 5): 48.0 GFLOP/s on 1 thread, 95.0 on 2.',
      '',
      'Which path each conv layer took and its rate (convlab, one traced run after measuring; GFLOP/s counted as the direct convolution):',
      '',
      '| workload | kernel | shape | path | backend × threads | calls | ms | GFLOP/s | of ceiling |',
      '|---|---|---|---|---|---:|---:|---:|---:|',
      // 2 × 924,844,032 / 25 ms = 74.0 GFLOP/s = 78 % of 95; the TypeScript path is not compared with the SIMD ceiling.
      '| conv64-fwd | conv2dForward | x [8,64,56,56] w [64,64,3,3] padding 1 | winograd | wasm × 2 | 1 | 25.00 | 74.0 | 78 % |',
      '| conv64-fwd | conv2dForward | x [1,3,9,9] w [4,3,1,1] stride 2 | im2col-gemm | ts × 1 | 1 | 0.50 | 1.2 | — |',
    ]);
  });
});
