import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * convlab as its users get it: the four packages packed with `npm pack` (their prepack builds them),
 * installed from the tarballs into a temporary folder outside the repository (no workspace links),
 * a course folder scaffolded there with `convlab init`, and a notebook in a sub-folder of it run
 * with nbclient on tslab and on Deno. The saved outputs must hold the convlab MIME types as JSON
 * objects with their HTML/PNG/plain-text fallbacks, and the live training view must have been
 * updated in place (update_display_data).
 */
const REPO = resolve(__dirname, '../..');
const PACKAGES = ['core', 'display', 'notebook', 'jupyterlab'];
const KERNELS = ['tslab', 'deno'] as const;
const MIME = (kind: string): string => `application/vnd.convlab.${kind}.v1+json`;
/** A saved text output (nbformat may store it as a list of lines). */
const text = (v: unknown): string => (Array.isArray(v) ? v.join('') : String(v));

interface Output { output_type: string; data?: Record<string, unknown> }
interface Notebook { cells: { cell_type: string; outputs?: Output[] }[] }
interface Report { notebooks: { ok: boolean; messages: Record<string, Record<string, number>> }[] }

let tmp = '';
let course = '';
const results: Record<string, { notebook: Notebook; report: Report; stdout: string; status: number | null }> = {};

function sh(command: string, args: readonly string[], options: SpawnSyncOptions & { cwd: string }): string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 600_000, ...options });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) failed with ${r.status}:\n${String(r.stdout)}\n${String(r.stderr)}`);
  return String(r.stdout);
}

beforeAll(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'convlab-install-')));
  expect(tmp.startsWith(REPO)).toBe(false);
  const packs = join(tmp, 'packs');
  mkdirSync(packs);
  sh('npm', ['pack', '--silent', '--pack-destination', packs, ...PACKAGES.flatMap((p) => ['-w', `@convlab/${p}`])], { cwd: REPO });
  // The convlab command from the packed core, in a folder of its own.
  const tools = join(tmp, 'tools');
  mkdirSync(tools);
  // The packed core and the packed display it depends on (not on a registry yet).
  const tarballs = ['convlab-display-', 'convlab-core-'].map((prefix) => join(packs, readdirSync(packs).find((f) => f.startsWith(prefix))!));
  sh('npm', ['install', '--no-audit', '--no-fund', '--silent', ...tarballs], { cwd: tools });
  sh(join(tools, 'node_modules/.bin/convlab'), ['init', 'course', '--packages', packs], { cwd: tmp });
  course = join(tmp, 'course');
  const sub = join(course, 'notebooks', 'mine');
  mkdirSync(sub, { recursive: true });
  for (const kernel of KERNELS) {
    const path = join(sub, `displays-${kernel}.ipynb`);
    copyFileSync(join(REPO, 'tests/notebooks/displays.ipynb'), path);
    const report = join(tmp, `report-${kernel}.json`);
    const r = spawnSync(join(course, 'node_modules/.bin/convlab-notebooks'), ['--kernel', kernel, '--write', '--report', report, path], { cwd: course, encoding: 'utf8', timeout: 300_000 });
    results[kernel] = {
      status: r.status,
      stdout: r.stdout + r.stderr,
      notebook: JSON.parse(readFileSync(path, 'utf8')) as Notebook,
      report: existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) as Report : { notebooks: [] },
    };
  }
});

afterAll(() => {
  if (tmp !== '') rmSync(tmp, { recursive: true, force: true });
});

describe('a course folder made from the packed packages, outside the repository', () => {
  it('depends on the tarballs and both kernels, has real package folders (no links), the course notebooks and its own kernelspecs', () => {
    const pkg = JSON.parse(readFileSync(join(course, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@convlab/core', '@convlab/display', '@convlab/jupyterlab', '@convlab/notebook', 'deno', 'tslab']);
    expect(pkg.dependencies['@convlab/notebook']).toMatch(/^file:.*convlab-notebook-\d+\.\d+\.\d+\.tgz$/);
    expect(pkg.scripts['start']).toBe('convlab-lab');
    for (const name of PACKAGES) expect(lstatSync(join(course, 'node_modules/@convlab', name)).isSymbolicLink()).toBe(false);
    expect(existsSync(join(course, 'node_modules/@convlab/jupyterlab/app/build/static'))).toBe(true);
    expect(existsSync(join(course, 'node_modules/@convlab/jupyterlab/labextension/package.json'))).toBe(true);
    expect(readdirSync(join(course, 'notebooks')).filter((f) => f.endsWith('.ipynb'))).toEqual(readdirSync(join(REPO, 'notebooks')).filter((f) => f.endsWith('.ipynb')));
    for (const kernel of KERNELS) {
      const spec = JSON.parse(readFileSync(join(course, '.convlab/jupyter/kernels', kernel, 'kernel.json'), 'utf8')) as { argv: string[] };
      expect(spec.argv.some((a) => a.startsWith(join(course, 'node_modules')))).toBe(true);
      expect(spec.argv.filter((a) => a.startsWith(join(REPO, 'node_modules')) || a.startsWith(join(REPO, 'packages')))).toEqual([]);
    }
  });

  it('opens JupyterLab on the folder with npm start: both kernels, the extension from the installed package', async () => {
    const port = await new Promise<number>((done) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address() as AddressInfo;
        probe.close(() => done(address.port));
      });
    });
    const server = spawn('npm', ['start', '--silent'], { cwd: course, env: { ...process.env, CONVLAB_LAB_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    server.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    server.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const base = `http://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 120_000;
      let token = '';
      while (Date.now() < deadline) {
        token = /:\d+\/lab\?token=([0-9a-f]+)/.exec(output)?.[1] ?? '';
        try {
          if (token !== '' && (await fetch(`${base}/api/status?token=${token}`)).ok) break;
        } catch { /* not listening yet */ }
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(output).toContain(`convlab JupyterLab on ${course} (kernels: tslab, deno)`);
      const specs = (await (await fetch(`${base}/api/kernelspecs?token=${token}`)).json()) as { default: string; kernelspecs: Record<string, { spec: { display_name: string } }> };
      expect(Object.keys(specs.kernelspecs).sort()).toEqual(['deno', 'tslab']);
      expect(specs.default).toBe('tslab');
      const html = await (await fetch(`${base}/lab?token=${token}`)).text();
      const config = JSON.parse(/<script id="jupyter-config-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!) as { federated_extensions: { name: string }[] };
      expect(config.federated_extensions.map((e) => e.name)).toContain('@convlab/jupyterlab');
      expect(lstatSync(join(course, '.convlab/jupyter/labextensions/@convlab/jupyterlab')).isSymbolicLink()).toBe(true);
    } finally {
      process.kill(-server.pid!, 'SIGTERM');
    }
  });

  for (const kernel of KERNELS) {
    it(`runs a notebook from a sub-folder on ${kernel}: convlab JSON objects with fallbacks, one live view updated in place`, () => {
      const { status, stdout, notebook, report } = results[kernel]!;
      expect(stdout).toContain(`notebooks: 1 run, 0 failed · cells: 7 executed · checks: 1 passed, 0 failed`);
      expect(status).toBe(0);
      const code = notebook.cells.filter((c) => c.cell_type === 'code');
      const data = (i: number): Record<string, unknown> => {
        const displays = code[i]!.outputs!.filter((o) => o.output_type === 'display_data');
        expect(displays.length).toBe(1);
        return displays[0]!.data!;
      };
      const expectBundle = (i: number, kind: string, fallbacks: string[]): Record<string, unknown> => {
        const d = data(i);
        expect(Object.keys(d).sort()).toEqual([MIME(kind), ...fallbacks].sort());
        expect(typeof d[MIME(kind)]).toBe('object');
        expect(d[MIME(kind)]).not.toBeNull();
        return d[MIME(kind)] as Record<string, unknown>;
      };
      expect(expectBundle(1, 'tensor', ['text/html', 'text/plain'])).toMatchObject({ name: 'small', values: [1, 2, 3, 4] });
      expect(text(data(1)['text/plain'])).toBe('small: shape [2, 2] · min 1 · max 4 · mean 2.5\n[[1, 2],\n [3, 4]]');
      expect(
        expectBundle(2, 'featuremaps', ['text/html', 'text/plain'])
      ).toMatchObject({ layers: [{ name: '0', type: 'Conv2d', shape: [4, 8, 8] }, { name: '2', type: 'MaxPool2d', shape: [4, 4, 4] }] });
      expect(text(data(2)['text/html'])).toContain('data:image/png;base64,');
      expect(expectBundle(3, 'summary', ['text/html', 'text/plain'])).toMatchObject({ model: 'Sequential', totals: { params: 235 } });
      expect(expectBundle(4, 'check', ['text/html', 'text/plain'])).toMatchObject({ name: 'conv output channels', passed: true });
      expect(expectBundle(5, 'history', ['text/html', 'text/plain'])).toMatchObject({ progress: { epoch: 2, epochs: 2, batch: 60, batchesPerEpoch: 60, done: true } });
      const live = report.notebooks[0]!.messages['6']!;
      expect(live['display_data']).toBe(1);
      expect(live['update_display_data']).toBeGreaterThanOrEqual(3);
    });
  }
});
