import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { BenchSystem, Runner } from './system.js';
import type { WorkloadName } from './workloads.js';

/** The JavaScript peers, each run in a process of its own. */
export type PeerName = 'tfjs-wasm' | 'tfjs-cpu' | 'convnetjs';

export type PeerRequest = { readonly op: 'prepare'; readonly workload: string } | { readonly op: 'run'; readonly repeat: number } | { readonly op: 'dispose' };
export interface PeerReply {
  readonly ready?: true;
  readonly error?: string;
  readonly skipped?: string;
  readonly work?: number;
  readonly note?: string;
  readonly ms?: number;
}

const PROGRAM = join(__dirname, 'peer-process.js');

/**
 * A JavaScript peer (TensorFlow.js, ConvNetJS) in a Node process of its own, like PyTorch in
 * Python: sharing convlab's process, a peer's heap and garbage (tfjs's WebAssembly memory,
 * ConvNetJS's millions of small objects) made V8 collect far more often while convlab ran, which
 * slowed convlab's LeNet epoch by a third (4.0 → 5.4 s). Samples are timed inside the peer's process.
 */
export class IsolatedSystem implements BenchSystem {
  private readonly pending: ((reply: PeerReply) => void)[] = [];

  private constructor(readonly name: PeerName, private readonly child: ChildProcess) {
    child.on('message', (reply: PeerReply) => this.pending.shift()?.(reply));
    child.on('exit', () => {
      for (const resolve of this.pending.splice(0)) resolve({ error: `the ${name} process exited` });
    });
  }

  /** Starts the peer's process; throws with the peer's reason when it cannot start. */
  static async create(name: PeerName): Promise<IsolatedSystem> {
    const child = fork(PROGRAM, [name], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: ['--expose-gc'] });
    const first = await new Promise<PeerReply>((resolve) => {
      child.once('message', (reply: PeerReply) => resolve(reply));
      child.once('exit', (code) => resolve({ error: `exited with code ${code}` }));
    });
    if (first.ready !== true) {
      child.kill();
      throw new Error(`${name} could not start: ${first.error ?? 'no reply'}`);
    }
    return new IsolatedSystem(name, child);
  }

  private request(message: PeerRequest): Promise<PeerReply> {
    return new Promise((resolve) => {
      this.pending.push(resolve);
      this.child.send(message);
    });
  }

  async prepare(workload: WorkloadName): Promise<Runner | { skipped: string }> {
    const prepared = await this.request({ op: 'prepare', workload });
    if (prepared.error !== undefined) throw new Error(prepared.error);
    if (prepared.skipped !== undefined) return { skipped: prepared.skipped };
    return {
      work: prepared.work!,
      ...(prepared.note === undefined ? {} : { note: prepared.note }),
      run: async (repeat) => {
        const reply = await this.request({ op: 'run', repeat });
        if (reply.error !== undefined) throw new Error(`${this.name}: ${reply.error}`);
        return reply.ms!;
      },
      dispose: async () => void (await this.request({ op: 'dispose' })),
    };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }
}
