import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProject, installKernelspecs, jupyterDir, kernelSpec } from '../../src/tools/kernelspec.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'convlab-project-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake installed package: node_modules/<name>/package.json (+ extra files). */
function install(project: string, name: string, json: object, files: Record<string, string> = {}): void {
  const dir = join(project, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...json }));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
}

describe('kernelspecs of a convlab project', () => {
  const project = join(root, 'course');
  install(project, '@convlab/notebook', {});
  install(project, 'tslab', { bin: { tslab: 'bin/tslab' } });
  install(project, 'deno', { bin: 'bin.cjs' }, { deno: '', 'bin.cjs': '' });
  mkdirSync(join(project, 'notebooks', 'week1'), { recursive: true });

  it('finds the project from any folder under it, and says how to make one elsewhere', () => {
    expect(findProject(join(project, 'notebooks', 'week1'))).toBe(project);
    expect(() => findProject(root)).toThrow(`no convlab project at or above ${root}: no folder there has node_modules/@convlab/notebook ` +
      `(make one with 'npx convlab init <folder>', or run 'npm install @convlab/notebook' in it)`);
  });

  it('starts tslab with this Node on its launcher, and Deno from the binary its npm package ships', () => {
    expect(kernelSpec('tslab', project)).toEqual({
      argv: [process.execPath, join(project, 'node_modules/tslab/bin/tslab'), 'kernel', '--config-path', '{connection_file}'],
      display_name: 'TypeScript (convlab, tslab)', language: 'typescript',
    });
    expect(kernelSpec('deno', project)!.argv).toEqual([join(project, 'node_modules/deno/deno'), 'jupyter', '--quiet', '--kernel', '--conn', '{connection_file}']);
  });

  it('writes them into the project, not into a package folder, and drops kernels no longer installed', () => {
    expect(installKernelspecs(project)).toEqual({ jupyterPath: join(project, '.convlab', 'jupyter'), kernels: ['tslab', 'deno'] });
    const deno = JSON.parse(readFileSync(join(jupyterDir(project), 'kernels', 'deno', 'kernel.json'), 'utf8')) as { display_name: string };
    expect(deno.display_name).toBe('TypeScript (convlab, Deno)');
    rmSync(join(project, 'node_modules', 'tslab'), { recursive: true });
    expect(installKernelspecs(project).kernels).toEqual(['deno']);
    expect(() => readFileSync(join(jupyterDir(project), 'kernels', 'tslab', 'kernel.json'))).toThrow(/ENOENT/);
  });
});
