import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mimeType, readPayload, validate, type HistoryData } from '@convlab/display';

/**
 * Runs real notebooks on the real tslab kernel through `npm run notebooks`' runner (Debian's
 * nbclient) and looks at what was saved. Needs the TypeScript build (tests/setup-machine.sh does it).
 */
const ROOT = resolve(__dirname, '../../../..');
const RUNNER = join(ROOT, 'packages/notebook/dist/tools/run-notebooks.js');
const SOURCE = join(ROOT, 'tests/notebooks/displays.ipynb');
// Notebooks must sit inside the repository so that tslab resolves @convlab/* from node_modules.
const WORK = join(ROOT, 'tests/notebooks', `.run-${process.pid}`);

interface Output { output_type: string; data?: Record<string, unknown>; text?: string | string[] }
interface Notebook { cells: { cell_type: string; source: string | string[]; outputs?: Output[] }[] }
interface Report { summary: Record<string, number>; notebooks: { ok: boolean; messages: Record<string, Record<string, number>> }[] }

const text = (v: unknown): string => (Array.isArray(v) ? v.join('') : String(v));
let tmp = '';

function runNotebooks(...args: string[]): { status: number | null; stdout: string; report: Report } {
  const report = join(tmp, `report-${Math.random().toString(36).slice(2)}.json`);
  const r = spawnSync(process.execPath, [RUNNER, '--report', report, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout + r.stderr, report: JSON.parse(readFileSync(report, 'utf8')) as Report };
}

beforeAll(() => {
  if (!existsSync(RUNNER)) throw new Error(`${RUNNER} is missing: build first (npx tsc -b)`);
  tmp = mkdtempSync(join(tmpdir(), 'convlab-notebooks-'));
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
});
afterAll(() => {
  rmSync(WORK, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

describe('npm run notebooks on the tslab kernel', () => {
  it('saves each display as one output with the convlab JSON object and HTML/plain fallbacks; live training updates in place', () => {
    const path = join(WORK, 'displays.ipynb');
    copyFileSync(SOURCE, path);
    const { status, stdout, report } = runNotebooks('--write', path);
    expect(stdout).toContain('notebooks: 1 run, 0 failed · cells: 7 executed · checks: 1 passed, 0 failed');
    expect(status).toBe(0);

    const nb = JSON.parse(readFileSync(path, 'utf8')) as Notebook;
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    const displays = (i: number): Output[] => code[i]!.outputs!.filter((o) => o.output_type === 'display_data');
    const expectKind = (i: number, kind: Parameters<typeof mimeType>[0]): unknown => {
      const outs = displays(i);
      expect(outs.length).toBe(1);
      const data = outs[0]!.data!;
      expect(typeof data[mimeType(kind)]).toBe('object'); // a JSON object, not a JSON string
      expect(readPayload(mimeType(kind), data[mimeType(kind)]).ok).toBe(true);
      expect(text(data['text/html'])).toMatch(/^<(div|details) class="convlab-/);
      expect(text(data['text/plain']).length).toBeGreaterThan(0);
      return data[mimeType(kind)];
    };
    expect(expectKind(1, 'tensor')).toMatchObject({ name: 'small', values: [1, 2, 3, 4] });
    expect(text(displays(1)[0]!.data!['text/plain'])).toBe('small: shape [2, 2] · min 1 · max 4 · mean 2.5\n[[1, 2],\n [3, 4]]');
    expect(expectKind(2, 'featuremaps')).toMatchObject({ layers: [{ name: '0', type: 'Conv2d', shape: [4, 8, 8] }, { name: '2', type: 'MaxPool2d', shape: [4, 4, 4] }] });
    expect(text(displays(2)[0]!.data!['text/html'])).toContain('data:image/png;base64,');
    expect(expectKind(3, 'summary')).toMatchObject({ model: 'Sequential', inputShape: [1, 8, 8], totals: { params: 40 + 195, trainable: 235 } });
    expect(expectKind(4, 'check')).toMatchObject({ name: 'conv output channels', passed: true });

    // Live training: 2 epochs × 60 batches give ONE output whose final state is kept …
    const live = expectKind(5, 'history') as HistoryData;
    expect(code[5]!.outputs!.length).toBe(1);
    expect(live.progress).toMatchObject({ epoch: 2, epochs: 2, batch: 60, batchesPerEpoch: 60, done: true, stopped: null });
    expect(live.batches.length).toBe(120);
    expect(validate('history', live).ok).toBe(true);
    // … reached through update_display_data messages (start, epoch ends, end, throttled batches), not 120 outputs.
    const messages = report.notebooks[0]!.messages['6']!;
    expect(messages['display_data']).toBe(1);
    expect(messages['update_display_data']).toBeGreaterThanOrEqual(3);
    expect(messages['update_display_data']).toBeLessThan(60);
    expect(expectKind(6, 'history')).toMatchObject({ progress: null, batchesPerPoint: 1 });
  }, 120_000);

  it('fails on a failed check, names it, counts it, and leaves the notebook file unchanged', () => {
    const path = join(WORK, 'failing.ipynb');
    const source = JSON.parse(readFileSync(SOURCE, 'utf8')) as Notebook;
    source.cells = [
      source.cells[1]!,
      { cell_type: 'code', source: "check('B6 conv parameters', 10 * 3 * 3 * 3 + 10, 280);", outputs: [], execution_count: null, metadata: {} } as never,
      { cell_type: 'code', source: "check('wrong answer', 1 + 1, 3);", outputs: [], execution_count: null, metadata: {} } as never,
      { cell_type: 'code', source: "console.log('never runs');", outputs: [], execution_count: null, metadata: {} } as never,
    ];
    const before = JSON.stringify(source);
    writeFileSync(path, before);
    const { status, stdout, report } = runNotebooks('--write', path);
    expect(status).toBe(1);
    expect(stdout).toContain("     cell 3: ConvlabError: check 'wrong answer' failed: 2 differs from the expected 3\n");
    expect(stdout).toContain('notebooks: 1 run, 1 failed · cells: 3 executed · checks: 1 passed, 1 failed');
    expect(report.summary).toMatchObject({ notebooks: 1, failedNotebooks: 1, checksPassed: 1, checksFailed: 1 });
    expect(readFileSync(path, 'utf8')).toBe(before);
  }, 120_000);
});
