import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A running convlab JupyterLab server (packages/jupyterlab/app/convlab_lab.py). */
export interface LabServer {
  readonly url: string;
  readonly token: string;
  /** Everything the server printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Where the server runs and finds kernels and prebuilt extensions (defaults: the repository's own). */
export interface LabOptions {
  /** The Python that runs the server (a virtual environment's finds the extensions installed there). */
  readonly python?: string;
  /** JUPYTER_PATH (kernelspecs; prebuilt extensions under labextensions/). */
  readonly jupyterPath?: string;
  readonly defaultKernel?: string;
}

/**
 * Starts the server on 127.0.0.1 with Jupyter's token on, serving `rootDir`, with user settings
 * and workspaces in `stateDir` (so a test never changes the user's theme), and waits until
 * `/api/status` answers.
 */
export async function startLab(repo: string, rootDir: string, stateDir: string, options: LabOptions = {}): Promise<LabServer> {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const args = [
    join(repo, 'packages/jupyterlab/app/convlab_lab.py'),
    '--ServerApp.ip=127.0.0.1', `--ServerApp.port=${port}`, '--ServerApp.port_retries=0',
    `--ServerApp.root_dir=${rootDir}`, '--ServerApp.open_browser=False',
    `--MappingKernelManager.default_kernel_name=${options.defaultKernel ?? 'tslab'}`,
    `--ConvlabLab.user_settings_dir=${join(stateDir, 'user-settings')}`,
    `--ConvlabLab.workspaces_dir=${join(stateDir, 'workspaces')}`,
    ...(process.getuid?.() === 0 ? ['--ServerApp.allow_root=True'] : []),
  ];
  const child: ChildProcess = spawn(options.python ?? '/usr/bin/python3', args, {
    env: { ...process.env, CONVLAB_PROJECT: repo, JUPYTER_PATH: options.jupyterPath ?? join(repo, '.convlab/jupyter'), JUPYTER_TOKEN: token, JUPYTER_RUNTIME_DIR: join(stateDir, 'runtime') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the lab server exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/api/status?token=${token}`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the lab server did not answer within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    token,
    log: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Shuts down every kernel session `lab` has (DELETE /api/sessions/<id>), so that the next notebook
 * opened starts the only kernel; throws when the server refuses one.
 */
export async function shutDownSessions(lab: LabServer): Promise<void> {
  const listed = await fetch(`${lab.url}/api/sessions?token=${lab.token}`);
  const sessions = (await listed.json()) as Array<{ id: string }>;
  for (const { id } of sessions) {
    const response = await fetch(`${lab.url}/api/sessions/${id}?token=${lab.token}`, { method: 'DELETE' });
    if (response.status !== 204) throw new Error(`shutting down session ${id}: HTTP ${response.status}`);
  }
}
