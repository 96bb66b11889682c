import { describe, expect, it, vi } from 'vitest';
import type { DisplayContent } from '../../src/kernel/kernel-channel.js';
import { denoKernel, denoWriter, type DenoKernelInternals } from '../../src/kernel/deno-channel.js';

const content = (text: string): DisplayContent => ({ data: { 'text/plain': text }, metadata: {}, transient: { display_id: 'd1' } });

/** A stand-in for Deno's kernel: broadcast resolves only when the test releases it, as a slow iopub send would. */
function slowKernel() {
  const log: string[] = [];
  const releases: (() => void)[] = [];
  const jupyter = {
    broadcast: (type: string, c: DisplayContent) => new Promise<void>((resolve) => {
      log.push(`start ${type} ${String(c.data['text/plain'])}`);
      releases.push(() => { log.push(`sent ${type} ${String(c.data['text/plain'])}`); resolve(); });
    }),
  };
  const internals: DenoKernelInternals = { broadcastResult: async (count: unknown) => { log.push(`result ${String(count)}`); return 'published'; } };
  return { log, releases, jupyter, internals };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("Deno's display channel", () => {
  it('sends display_data then update_display_data, one after the other, in call order', async () => {
    const k = slowKernel();
    const write = denoWriter(k.jupyter, k.internals);
    write(content('first'), false);
    write(content('second'), true);
    await tick();
    expect(k.log).toEqual(['start display_data first']);
    k.releases[0]!();
    await tick();
    expect(k.log).toEqual(['start display_data first', 'sent display_data first', 'start update_display_data second']);
  });

  it("makes the kernel's end-of-cell hook wait until every display went out (else they arrive after idle)", async () => {
    const k = slowKernel();
    const write = denoWriter(k.jupyter, k.internals);
    write(content('a'), false);
    write(content('b'), true);
    let done = false;
    const result = k.internals.broadcastResult(7).then((v) => { done = true; return v; });
    await tick();
    expect(done).toBe(false);
    k.releases[0]!();
    await tick();
    expect(done).toBe(false);
    k.releases[1]!();
    expect(await result).toBe('published');
    expect(k.log).toEqual(['start display_data a', 'sent display_data a', 'start update_display_data b', 'sent update_display_data b', 'result 7']);
  });

  it('wraps the hook once and keeps one queue per kernel, however often the channel is looked up', async () => {
    const k = slowKernel();
    const write = denoWriter(k.jupyter, k.internals);
    const hook = k.internals.broadcastResult;
    expect(denoWriter(k.jupyter, k.internals)).toBe(write);
    expect(k.internals.broadcastResult).toBe(hook);
  });

  it('reports a failed broadcast on the console and keeps sending the next ones', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const sent: string[] = [];
    const jupyter = { broadcast: async (type: string, c: DisplayContent) => { if (c.data['text/plain'] === 'bad') throw new Error('iopub closed'); sent.push(type); } };
    const internals: DenoKernelInternals = { broadcastResult: async () => undefined };
    const write = denoWriter(jupyter, internals);
    write(content('bad'), false);
    write(content('good'), true);
    await internals.broadcastResult();
    expect(error).toHaveBeenCalledWith("convlab: Deno.jupyter.broadcast('display_data') failed: iopub closed");
    expect(sent).toEqual(['update_display_data']);
    error.mockRestore();
  });

  it("is found only where Deno's kernel has enabled its Jupyter internals", () => {
    const internal = Symbol('Deno.internal');
    const broadcastResult = async () => undefined;
    const jupyter = { broadcast: async () => undefined };
    expect(denoKernel({})).toBeNull();
    expect(denoKernel({ Deno: { internal, [internal]: {} } })).toBeNull();
    expect(denoKernel({ Deno: { internal, [internal]: { jupyter: { broadcastResult } }, jupyter } })).toEqual({ jupyter, internals: { broadcastResult } });
  });
});
