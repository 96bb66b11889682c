#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findProject, installKernelspecs } from './kernelspec.js';

/**
 * `convlab-lab` (the `npm start` of a course folder): convlab's bundled JupyterLab — the front end
 * and prebuilt extension shipped in @convlab/jupyterlab, installed in the project — on 127.0.0.1,
 * opened on the project folder, served by Debian's Jupyter server. It registers the project's
 * kernels, links the prebuilt extension into the project's Jupyter data folder, keeps Jupyter's token
 * on and lets the server print the URL once it listens: the first free port from 8888 (bound by the
 * server itself, so two simultaneous starts never share one) or exactly CONVLAB_LAB_PORT. Extra
 * arguments go to the server and override these defaults.
 */

const PYTHON = '/usr/bin/python3';

/** Points `<jupyterPath>/labextensions/@convlab/jupyterlab` at the package's prebuilt extension. */
function linkExtension(jupyterPath: string, labextension: string): void {
  const link = join(jupyterPath, 'labextensions', '@convlab', 'jupyterlab');
  let current: string | null = null;
  try { current = readlinkSync(link); } catch { /* no link yet */ }
  if (current === labextension) return;
  rmSync(link, { recursive: true, force: true });
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(labextension, link, 'dir');
}

/**
 * Starts the lab of the project at or above the current folder, from its @convlab/jupyterlab (with
 * app/ and labextension/), and resolves with the server's exit code.
 */
async function startLab(serverArgs: readonly string[]): Promise<number> {
  let project: string;
  let labPackage: string;
  try {
    project = findProject(process.cwd());
    labPackage = dirname(require.resolve('@convlab/jupyterlab/package.json', { paths: [project] }));
  } catch (error) {
    const message = (error as { code?: string }).code === 'MODULE_NOT_FOUND' ? '@convlab/jupyterlab is not installed in the project; npm install @convlab/jupyterlab' : (error as Error).message;
    console.error(`convlab-lab: ${message}`);
    return 2;
  }
  const server = join(labPackage, 'app', 'convlab_lab.py');
  const labextension = join(labPackage, 'labextension');
  for (const [path, what] of [[join(labPackage, 'app', 'build', 'static'), 'the built JupyterLab front end'], [labextension, 'the prebuilt extension'], [server, 'the server module']] as const) {
    if (!existsSync(path)) {
      console.error(`convlab-lab: ${what} is missing from @convlab/jupyterlab (${path}); reinstall the package`);
      return 2;
    }
  }
  if (!existsSync(PYTHON)) {
    console.error(`convlab-lab: ${PYTHON} is missing; install Debian's python3-jupyter-server and python3-jupyterlab-server`);
    return 2;
  }
  const { jupyterPath, kernels } = installKernelspecs(project);
  linkExtension(jupyterPath, labextension);
  const fixedPort = process.env['CONVLAB_LAB_PORT'];
  const portArgs = fixedPort === undefined ? ['--ServerApp.port=8888', '--ServerApp.port_retries=50'] : [`--ServerApp.port=${fixedPort}`, '--ServerApp.port_retries=0'];
  const token = randomBytes(24).toString('hex');
  const rootFlag = process.getuid?.() === 0 ? ['--ServerApp.allow_root=True'] : [];
  const child = spawn(PYTHON, [
    server, '--ServerApp.ip=127.0.0.1', ...portArgs, `--ServerApp.root_dir=${project}`, '--ServerApp.open_browser=False',
    `--MappingKernelManager.default_kernel_name=${kernels[0] ?? 'tslab'}`, ...rootFlag,
    `--ConvlabLab.announce=convlab JupyterLab on ${project} (kernels: ${kernels.join(', ') || 'none'})`, ...serverArgs,
  ], {
    stdio: 'inherit',
    env: { ...process.env, CONVLAB_PROJECT: project, JUPYTER_TOKEN: token, JUPYTER_PATH: [jupyterPath, process.env['JUPYTER_PATH']].filter(Boolean).join(':') },
  });
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', (error) => {
      console.error(`convlab-lab: could not start ${PYTHON}: ${error.message}`);
      resolve(2);
    });
  });
}

void startLab(process.argv.slice(2)).then((code) => { process.exitCode = code; });
