// `npm run bench`: convlab and its peers on identical work in one run, interleaved, medians.
// Options: --json (one JSON object on stdout, progress on stderr), --epoch (add the Fashion-MNIST
// epoch), --quick (a few samples each: a smoke test, not a measurement),
// --workloads a,b (only these).
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { getNumThreads } from '@convlab/core';
import { memoryCheck, summaryChecks, type MemoryCheck } from './checks.js';
import { measureInterleaved, spread, type MeasureOptions } from './harness.js';
import { IsolatedSystem, type PeerName } from './isolated.js';
import { formatTables, ratios, targets, type Report, type Result, type Skip } from './report.js';
import type { BenchSystem, Runner } from './system.js';
import { ConvlabSystem } from './systems/convlab.js';
import { PytorchSystem } from './systems/pytorch.js';
import { measureSimdCeiling, type SimdCeiling } from './simd-ceiling.js';
import { NETWORK_INPUTS, onRequest, workloads, type WorkloadName } from './workloads.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    epoch: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    workloads: { type: 'string' },
  },
});

const log = (message: string): void => void process.stderr.write(`${message}\n`);

const timing: MeasureOptions = args.quick
  ? { warmupMs: 0, budgetMs: 0, minSamples: 2, maxSamples: 2, sampleMs: 0 }
  : { warmupMs: 1500, budgetMs: 5000, minSamples: 3, maxSamples: 31, sampleMs: 50 };
/** An epoch takes seconds per system: two interleaved rounds after one warm-up epoch. */
const epochTiming: MeasureOptions = { warmupMs: 0, budgetMs: 0, minSamples: args.quick ? 1 : 2, maxSamples: args.quick ? 1 : 2, sampleMs: 0 };
/** A course-sized network's step takes 0.1–1 s: 7 interleaved samples after 3 warm-up runs. */
const networkTiming: MeasureOptions = args.quick
  ? { warmupMs: 0, budgetMs: 0, minSamples: 2, maxSamples: 2, sampleMs: 0 }
  : { warmupMs: 0, warmupRuns: 3, budgetMs: 0, minSamples: 7, maxSamples: 7, sampleMs: 0 };

const timingOf = (workload: WorkloadName): MeasureOptions =>
  workload === 'lenet-epoch' ? epochTiming : Object.hasOwn(NETWORK_INPUTS, workload) ? networkTiming : timing;

async function main(): Promise<void> {
  const chosen = args.workloads?.split(',') ?? workloads.filter((w) => !onRequest.includes(w.name) || args.epoch).map((w) => w.name);
  const unknown = chosen.filter((name) => !workloads.some((w) => w.name === name));
  if (unknown.length > 0) throw new Error(`unknown workload(s) ${unknown.join(', ')}; known: ${workloads.map((w) => w.name).join(', ')}`);
  const skipped: Skip[] = [];
  const convlab = new ConvlabSystem();
  const systems: BenchSystem[] = [convlab];
  const pytorch = await PytorchSystem.create(Math.min(2, cpus().length));
  if ('skipped' in pytorch) {
    log(`notice: ${pytorch.skipped}; PyTorch is left out`);
    skipped.push({ workload: 'all', system: 'pytorch', reason: pytorch.skipped });
  } else {
    systems.push(pytorch);
  }
  // The JavaScript peers each in a process of their own (see isolated.ts), like PyTorch.
  for (const peer of ['tfjs-wasm', 'tfjs-cpu', 'convnetjs'] as const satisfies readonly PeerName[]) {
    try {
      systems.push(await IsolatedSystem.create(peer));
    } catch (error) {
      skipped.push({ workload: 'all', system: peer, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  const results: Result[] = [];
  for (const workload of workloads.filter((w) => chosen.includes(w.name))) {
    const prepared: { system: BenchSystem; runner: Runner }[] = [];
    for (const system of systems) {
      try {
        const runner = await system.prepare(workload.name);
        if ('skipped' in runner) skipped.push({ workload: workload.name, system: system.name, reason: runner.skipped });
        else prepared.push({ system, runner: await firstRun(runner) });
      } catch (error) {
        skipped.push({ workload: workload.name, system: system.name, reason: `failed: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    log(`${workload.name}: ${prepared.map((p) => p.system.name).join(', ')}`);
    const samples = await measureInterleaved(prepared.map((p) => p.runner), timingOf(workload.name));
    for (const { runner } of prepared) await runner.trace?.();
    prepared.forEach(({ system, runner }, i) => {
      const { medianMs, ms, repeat } = samples[i]!;
      const perSecond = runner.work / (medianMs / 1000);
      results.push({
        workload: workload.name, system: system.name, medianMs, unit: workload.unit,
        throughput: workload.unit === 'GFLOP/s' ? perSecond / 1e9 : perSecond, samples: ms.length, runsPerSample: repeat, spread: spread(ms),
        ...(runner.note === undefined ? {} : { note: runner.note }),
        ...(runner.kernelPaths === undefined ? {} : { kernelPaths: runner.kernelPaths }),
      });
    });
    for (const { runner } of prepared) await runner.dispose();
  }
  for (const system of systems) await system.close();

  log('memory and summary() checks');
  let memory: MemoryCheck | null = null;
  try {
    memory = memoryCheck(args.quick ? 30 : args.epoch ? 938 : 300);
  } catch (error) {
    skipped.push({ workload: 'all', system: 'memory probe', reason: String(error) });
  }
  const summary = summaryChecks();
  log('SIMD ceiling');
  let simdCeiling: SimdCeiling | null = null;
  try {
    simdCeiling = await measureSimdCeiling(getNumThreads());
  } catch (error) {
    skipped.push({ workload: 'all', system: 'SIMD ceiling', reason: String(error) });
  }
  const torch = systems.find((s): s is PytorchSystem => s instanceof PytorchSystem);
  const machine = {
    date: new Date().toISOString().slice(0, 10),
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    node: process.version,
    convlab: convlab.description,
    pytorch: torch?.description ?? 'not available',
    threadsUsedByConvlab: getNumThreads(),
  };
  const partial = { machine, results, ratios: ratios(results), checks: { memory, summaryMs: { vgg16: summary.vgg16Ms, resnet50: summary.resnet50Ms }, simdCeiling }, skipped };
  const report: Report = { ...partial, targets: targets(partial) };
  process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : `${formatTables(report)}\n`);
}

/** Runs a first sample (compiles, allocates, and surfaces errors before measuring). */
async function firstRun(runner: Runner): Promise<Runner> {
  await runner.run(1);
  return runner;
}

main().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exit(1);
});
