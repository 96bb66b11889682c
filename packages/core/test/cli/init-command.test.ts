import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coursePackage, initCommand } from '../../src/cli/init-command.js';

const root = mkdtempSync(join(tmpdir(), 'convlab-init-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function init(...args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = initCommand(args, { stdout: { write: (s: string) => { stdout += s; return true; } }, stderr: { write: (s: string) => { stderr += s; return true; } } } as never);
  return { code, stdout, stderr };
}

describe('convlab init', () => {
  it("writes a course package.json: the @convlab packages, both kernels, and npm start / notebooks / kernels scripts", () => {
    const version = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
    expect(coursePackage('My Course', { '@convlab/core': `^${version}` })).toEqual({
      name: 'my-course',
      private: true,
      description: 'A convlab course: the exercise notebooks, the tslab and Deno TypeScript kernels, and JupyterLab with the convlab extension.',
      scripts: { start: 'convlab-lab', notebooks: 'convlab-notebooks', kernels: 'convlab-kernelspec' },
      dependencies: { '@convlab/core': `^${version}`, tslab: '1.0.22', deno: '~2.9.6' },
    });
  });

  it('refuses a missing folder, a folder with files in it, and --packages without the tarballs', () => {
    expect(init()).toEqual({ code: 2, stdout: '', stderr: 'convlab init: no folder given\nusage: convlab init <folder> [--packages DIR]\n' });
    const used = join(root, 'used');
    mkdirSync(used);
    writeFileSync(join(used, 'notes.txt'), 'mine');
    expect(init(used).stderr).toBe(`convlab init: ${used} exists and is not empty; give a new or empty folder\n`);
    const packs = join(root, 'packs');
    mkdirSync(packs);
    writeFileSync(join(packs, 'convlab-core-0.1.0.tgz'), '');
    expect(init(join(root, 'course'), '--packages', packs)).toEqual({ code: 2, stdout: '', stderr: `convlab init: --packages ${packs}: no ` +
      `convlab-display-<version>.tgz there (make it with npm pack)\n` });
    expect(init(join(root, 'course'), '--force').stderr).toBe("convlab init: unexpected argument '--force'\nusage: convlab init <folder> [--packages DIR]\n");
  });
});
