import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { CommandStreams } from './train-command.js';

export const INIT_USAGE = 'usage: convlab init <folder> [--packages DIR]';

/** The packages a course folder depends on, besides the kernels. */
const CONVLAB_PACKAGES = ['@convlab/core', '@convlab/display', '@convlab/notebook', '@convlab/jupyterlab'] as const;
/** The two TypeScript kernels (tslab is an optional peer of @convlab/notebook; deno ships its binary). */
const KERNEL_PACKAGES = { tslab: '1.0.22', deno: '~2.9.6' } as const;

/** This package's version: the course folder asks for the same release of every @convlab package. */
function ownVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** `file:` specs of packed tarballs in `dir` (`convlab-core-0.1.0.tgz`, …), for installing without the registry. */
function tarballSpecs(dir: string): Record<string, string> {
  const files = readdirSync(dir);
  return Object.fromEntries(CONVLAB_PACKAGES.map((name) => {
    const stem = name.slice(1).replace('/', '-');
    const file = files.find((f) => f.startsWith(`${stem}-`) && f.endsWith('.tgz') && /^\d/.test(f.slice(stem.length + 1)));
    if (file === undefined) throw new Error(`--packages ${dir}: no ${stem}-<version>.tgz there (make it with npm pack)`);
    return [name, `file:${join(resolve(dir), file)}`];
  }));
}

/** The package.json of a course folder. */
export function coursePackage(name: string, specs: Record<string, string>): object {
  return {
    name: name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'convlab-course',
    private: true,
    description: 'A convlab course: the exercise notebooks, the tslab and Deno TypeScript kernels, and JupyterLab with the convlab extension.',
    scripts: { start: 'convlab-lab', notebooks: 'convlab-notebooks', kernels: 'convlab-kernelspec' },
    dependencies: { ...specs, ...KERNEL_PACKAGES },
  };
}

/**
 * `convlab init <folder>`: a course folder — a package.json depending on the @convlab packages and
 * both kernels, `npm install` run there, then the course notebooks copied in and the kernels
 * registered for the folder (`convlab-course` from @convlab/notebook). `npm start` there opens
 * JupyterLab on it. `--packages DIR` installs the @convlab packages from tarballs made by `npm pack`.
 */
export function initCommand(args: readonly string[], streams: CommandStreams): number {
  let folder: string | undefined;
  let packages: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--packages' && args[i + 1] !== undefined) packages = args[++i];
    else if (!a.startsWith('-') && folder === undefined) folder = a;
    else {
      streams.stderr.write(`convlab init: unexpected argument '${a}'\n${INIT_USAGE}\n`);
      return 2;
    }
  }
  if (folder === undefined) {
    streams.stderr.write(`convlab init: no folder given\n${INIT_USAGE}\n`);
    return 2;
  }
  const dir = resolve(process.cwd(), folder);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    streams.stderr.write(`convlab init: ${dir} exists and is not empty; give a new or empty folder\n`);
    return 2;
  }
  let specs: Record<string, string>;
  try {
    specs = packages === undefined
      ? Object.fromEntries(CONVLAB_PACKAGES.map((name) => [name, `^${ownVersion()}`]))
      : tarballSpecs(resolve(process.cwd(), packages));
  } catch (error) {
    streams.stderr.write(`convlab init: ${(error as Error).message}\n`);
    return 2;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(coursePackage(basename(dir), specs), null, 2)}\n`);
  streams.stdout.write(`convlab init: installing the packages in ${dir} (npm install)\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  if (install.status !== 0) {
    streams.stderr.write(`convlab init: npm install failed in ${dir} (${install.error?.message ?? `exit code ${install.status}`})\n`);
    return 1;
  }
  const notebookPackage = join(dir, 'node_modules', '@convlab', 'notebook');
  const setup = spawnSync(process.execPath, [join(notebookPackage, 'dist', 'tools', 'setup-course.js'), dir], { cwd: dir, stdio: 'inherit' });
  if (setup.status !== 0) return 1;
  streams.stdout.write(`convlab init: done. Next: cd ${folder} && npm start\n`);
  return 0;
}
