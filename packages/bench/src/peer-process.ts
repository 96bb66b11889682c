// The program of an isolated peer (see isolated.ts): one JavaScript system in its own Node
// process, driven over IPC. Each sample is timed here, so messaging costs nothing.
import type { BenchSystem, Runner } from './system.js';
import { ConvnetjsSystem } from './systems/convnetjs.js';
import { TfjsSystem } from './systems/tfjs.js';
import type { PeerName, PeerReply, PeerRequest } from './isolated.js';
import type { WorkloadName } from './workloads.js';

async function createSystem(name: PeerName): Promise<BenchSystem> {
  switch (name) {
    case 'tfjs-wasm':
      return TfjsSystem.create('wasm');
    case 'tfjs-cpu':
      return TfjsSystem.create('cpu');
    case 'convnetjs':
      return new ConvnetjsSystem();
  }
}

/**
 * Collects this process's garbage after a sample, before replying, so that the peer's collector
 * does not run on the other core during the next system's sample (the process runs with
 * --expose-gc). This can only flatter the peer: its own next sample starts from a clean heap.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const reply = (r: PeerReply): void => void process.send!(r);

function serve(system: BenchSystem): void {
  let runner: Runner | null = null;
  const handle = async (request: PeerRequest): Promise<PeerReply> => {
    switch (request.op) {
      case 'prepare': {
        const prepared = await system.prepare(request.workload as WorkloadName);
        if ('skipped' in prepared) return { skipped: prepared.skipped };
        runner = prepared;
        return { work: prepared.work, ...(prepared.note === undefined ? {} : { note: prepared.note }) };
      }
      case 'run': {
        if (runner === null) return { error: 'run before prepare' };
        const ms = await runner.run(request.repeat);
        collectGarbage();
        return { ms };
      }
      case 'dispose':
        await runner?.dispose();
        runner = null;
        return {};
    }
  };
  // One request at a time, in order.
  let queue = Promise.resolve();
  process.on('message', (request: PeerRequest) => {
    queue = queue.then(async () => {
      try {
        reply(await handle(request));
      } catch (error) {
        reply({ error: message(error) });
      }
    });
  });
  process.on('disconnect', () => void system.close().finally(() => process.exit(0)));
}

const name = process.argv[2] as PeerName;
createSystem(name).then(
  (system) => {
    serve(system);
    reply({ ready: true });
  },
  (error: unknown) => {
    reply({ error: message(error) });
    process.exit(1);
  },
);
