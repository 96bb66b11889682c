import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type LabServer } from './lab-server.js';

/**
 * The bundled server without a browser: `npm start` binds its port before it prints a URL (two
 * simultaneous starts never share a port; a taken CONVLAB_LAB_PORT fails without printing one),
 * passes `--ServerApp.*` arguments through over its defaults, and `/api/me` answers a malformed
 * `permissions` argument with 400, without a traceback or the input.
 */
const REPO = resolve(__dirname, '../..');
const START = join(REPO, 'packages/jupyterlab/scripts/start.sh');
const ANNOUNCED = /convlab JupyterLab: http:\/\/127\.0\.0\.1:(\d+)\/lab\?token=([0-9a-f]+)/;

/** A started `npm start` (start.sh) with everything it printed. */
interface Start {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

function start(args: readonly string[], env: Record<string, string> = {}): Start {
  const child = spawn('bash', [START, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

/** Waits until `s` printed its URL (then returns port and token) or exited (then returns null). */
async function announced(s: Start): Promise<{ port: number; token: string } | null> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const match = ANNOUNCED.exec(s.output());
    if (match !== null) return { port: Number(match[1]), token: match[2]! };
    if (s.child.exitCode !== null) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`start.sh printed no URL within 120 s:\n${s.output()}`);
}

async function stop(s: Start): Promise<void> {
  if (s.child.exitCode === null) s.child.kill('SIGTERM');
  await s.exited;
}

/** Occupies a free port on 127.0.0.1 the way another server would. */
function occupy(): Promise<{ server: Server; port: number }> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => done({ server, port: (server.address() as { port: number }).port }));
  });
}

describe('npm start', () => {
  const state = mkdtempSync(join(tmpdir(), 'convlab-start-'));
  const stateArgs = [`--ConvlabLab.user_settings_dir=${join(state, 'settings')}`, `--ConvlabLab.workspaces_dir=${join(state, 'workspaces')}`];
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  it('two simultaneous starts on a taken port each bind a port of their own, then print a URL that reaches them', async () => {
    const taken = await occupy();
    const starts = [start([`--ServerApp.port=${taken.port}`, ...stateArgs]), start([`--ServerApp.port=${taken.port}`, ...stateArgs])];
    try {
      const urls = await Promise.all(starts.map(announced));
      expect(urls.every((u) => u !== null), starts.map((s) => s.output()).join('\n----\n')).toBe(true);
      const [a, b] = urls as { port: number; token: string }[];
      expect(a!.port).not.toBe(taken.port);
      expect(b!.port).not.toBe(taken.port);
      expect(a!.port).not.toBe(b!.port);
      for (const { port, token } of [a!, b!]) {
        expect((await fetch(`http://127.0.0.1:${port}/api/status?token=${token}`)).status).toBe(200);
      }
      // Each token belongs to the server on its own port.
      expect((await fetch(`http://127.0.0.1:${a!.port}/api/status?token=${b!.token}`)).status).toBe(403);
    } finally {
      await Promise.all(starts.map(stop));
      taken.server.close();
    }
  });

  it('a taken CONVLAB_LAB_PORT fails before printing a URL', async () => {
    const taken = await occupy();
    const s = start(stateArgs, { CONVLAB_LAB_PORT: String(taken.port) });
    try {
      expect(await announced(s)).toBeNull();
      expect(await s.exited).toBe(1);
      expect(s.output()).toContain(`port ${taken.port} is not available`);
      expect(s.output()).not.toContain('token=');
    } finally {
      await stop(s);
      taken.server.close();
    }
  });

  it('passes --ServerApp.root_dir through over its notebooks/ default', async () => {
    const root = mkdtempSync(join(tmpdir(), 'convlab-root-'));
    writeFileSync(join(root, 'only-here.txt'), 'x');
    const s = start([`--ServerApp.root_dir=${root}`, ...stateArgs]);
    try {
      const url = await announced(s);
      expect(url, s.output()).not.toBeNull();
      const listing = (await (await fetch(`http://127.0.0.1:${url!.port}/api/contents?token=${url!.token}`)).json()) as { content: { name: string }[] };
      expect(listing.content.map((f) => f.name)).toEqual(['only-here.txt']);
    } finally {
      await stop(s);
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('/api/me', () => {
  let lab: LabServer;
  let state = '';
  beforeAll(async () => {
    state = mkdtempSync(join(tmpdir(), 'convlab-me-'));
    lab = await startLab(REPO, state, state);
  });
  afterAll(async () => {
    await lab?.stop();
    rmSync(state, { recursive: true, force: true });
  });

  const me = (permissions: string): Promise<Response> => fetch(`${lab.url}/api/me?token=${lab.token}&permissions=${encodeURIComponent(permissions)}`);

  it('grants the requested permissions to the one local user', async () => {
    const response = await me('{"contents":["read","write"],"kernels":[]}');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { identity: { username: string }; permissions: unknown };
    expect(body.permissions).toEqual({ contents: ['read', 'write'], kernels: [] });
    expect(body.identity.username).not.toBe('');
  });

  it.each([
    ['text that is not JSON', '{not json<script>'],
    ['a JSON list', '["<script>"]'],
    ['a resource whose actions are not a list of strings', '{"a":"<script>"}'],
    ['a resource whose actions are not a list of strings', '{"a":[1,"<script>"]}'],
  ])('answers 400 for %s, naming the expected shape, without a traceback or the input', async (what, permissions) => {
    const response = await me(permissions);
    expect(response.status).toBe(400);
    const text = await response.text();
    const body = JSON.parse(text) as { message: string; traceback?: string };
    expect(body.message).toBe(`permissions should be a JSON object of {"resource": ["action", ...]}, got ${what}`);
    expect(body.traceback).toBeUndefined();
    expect(text).not.toContain('script');
  });
});
