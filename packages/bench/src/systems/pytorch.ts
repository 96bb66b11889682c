import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { BenchSystem, Runner } from '../system.js';
import type { WorkloadName } from '../workloads.js';

/** Debian's interpreter, the one python3-torch installs into (the python3 on PATH may differ). */
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, '../../python/torch_peer.py');

type Reply = { readonly error?: string; readonly work?: number; readonly ms?: number; readonly torch?: string; readonly threads?: number };

/**
 * PyTorch (Debian's python3-torch, CPU) in a child process running python/torch_peer.py; each
 * sample is timed inside Python, so the pipe costs nothing.
 */
export class PytorchSystem implements BenchSystem {
  readonly name = 'pytorch';
  private readonly pending: ((reply: Reply) => void)[] = [];

  private constructor(private readonly child: ChildProcessWithoutNullStreams, lines: Interface, readonly description: string) {
    lines.on('line', (line) => this.pending.shift()?.(JSON.parse(line) as Reply));
  }

  /** Starts the peer, or returns the reason it cannot run here. */
  static async create(threads: number): Promise<PytorchSystem | { skipped: string }> {
    if (!existsSync(PYTHON)) return { skipped: `${PYTHON} not found` };
    const child = spawn(PYTHON, [SCRIPT, String(threads)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string | null>((resolve) => {
      lines.once('line', resolve);
      child.once('exit', () => resolve(null));
      child.once('error', () => resolve(null));
    });
    if (first === null) {
      const reason = stderr.includes('No module named') ? 'python3-torch is not installed (apt-get install python3-torch)' : stderr.trim().split('\n').pop();
      return { skipped: `PyTorch peer could not start: ${reason ?? 'no output'}` };
    }
    const info = JSON.parse(first) as Reply;
    return new PytorchSystem(child, lines, `PyTorch ${info.torch} (${info.threads} threads)`);
  }

  private request(message: object): Promise<Reply> {
    return new Promise((resolve) => {
      this.pending.push(resolve);
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  async prepare(workload: WorkloadName): Promise<Runner | { skipped: string }> {
    const prepared = await this.request({ op: 'prepare', workload });
    if (prepared.error !== undefined) return { skipped: prepared.error };
    return {
      work: prepared.work!,
      run: async (repeat) => {
        const reply = await this.request({ op: 'run', repeat });
        if (reply.error !== undefined) throw new Error(`PyTorch: ${reply.error}`);
        return reply.ms!;
      },
      dispose: async () => undefined,
    };
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    await new Promise((resolve) => this.child.once('exit', resolve));
  }
}
