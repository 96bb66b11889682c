import type { DisplayContent, WriteDisplayData } from './kernel-channel.js';

/**
 * Displays through Deno's Jupyter kernel (`deno jupyter`). Deno's public API sends whole MIME
 * bundles: `Deno.jupyter.broadcast('display_data' | 'update_display_data', content)` with the
 * display id in `content.transient.display_id`. It is asynchronous, and a cell's code calls
 * `display()` without awaiting it.
 *
 * Deno's kernel bug (deno 2.9): when a cell's code has returned, the kernel publishes its result,
 * sends `execute_reply` and, 5 ms later, `status: idle`, whether or not the cell's pending
 * `broadcast` calls have gone out. Jupyter clients (nbclient, JupyterLab) take `idle` as the end of
 * the cell's output, so the displays sent after it are lost (nbclient) or land in the wrong cell.
 * The kernel does await one JavaScript function before that reply: its internal
 * `Deno[Deno.internal].jupyter.broadcastResult`, which publishes the cell's value. convlab wraps
 * that function once so that it first awaits convlab's queue of displays; the cell then ends only
 * after its displays went out. A cell that throws ends without that call: its pending displays may
 * still arrive after `idle`.
 */

/** The part of `Deno.jupyter` convlab uses. */
export interface DenoJupyter {
  broadcast(msgType: 'display_data' | 'update_display_data', content: DisplayContent): Promise<void>;
}

/** The kernel's internal hook that publishes a cell's value (`Deno[Deno.internal].jupyter`). */
export interface DenoKernelInternals {
  broadcastResult: (...args: unknown[]) => Promise<unknown>;
}

/** One writer (one queue) per kernel, however often the channel is looked up. */
const writers = new WeakMap<DenoKernelInternals, WriteDisplayData>();

/**
 * The display writer on Deno's kernel: messages go out one after another, in the order of the
 * calls (an update never overtakes its display), and the kernel's end-of-cell hook
 * (`internals.broadcastResult`, wrapped on first use) waits for them.
 */
export function denoWriter(jupyter: DenoJupyter, internals: DenoKernelInternals): WriteDisplayData {
  const existing = writers.get(internals);
  if (existing !== undefined) return existing;
  let queue: Promise<void> = Promise.resolve();
  const publishResult = internals.broadcastResult;
  internals.broadcastResult = async (...args: unknown[]) => {
    await queue;
    return publishResult.apply(internals, args);
  };
  const write: WriteDisplayData = (content, update) => {
    const type = update ? 'update_display_data' : 'display_data';
    queue = queue.then(() => jupyter.broadcast(type, content)).catch((error: unknown) => {
      console.error(`convlab: Deno.jupyter.broadcast('${type}') failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  writers.set(internals, write);
  return write;
}

/** `Deno.jupyter` and the kernel's internals when this process is Deno's Jupyter kernel, else null. */
export function denoKernel(global: object = globalThis): { jupyter: DenoJupyter; internals: DenoKernelInternals } | null {
  const deno = (global as { Deno?: Record<string | symbol, unknown> & { internal?: symbol } }).Deno;
  if (deno === undefined || deno.internal === undefined) return null;
  const internals = (deno[deno.internal] as { jupyter?: Partial<DenoKernelInternals> } | undefined)?.jupyter;
  if (typeof internals?.broadcastResult !== 'function') return null;
  return { jupyter: deno['jupyter'] as DenoJupyter, internals: internals as DenoKernelInternals };
}
