import { describe, expect, it } from 'vitest';
import { findDisplayChannel } from '../../src/kernel/kernel-channel.js';

const jupyterModule = '/srv/node_modules/tslab/dist/jupyter.js';

describe('findDisplayChannel', () => {
  it("uses the tslab kernel's display callback when tslab's jupyter module is loaded", () => {
    const write = (): void => undefined;
    const channel = findDisplayChannel({ cache: { [jupyterModule]: { exports: { lastWriteDisplayData: write } } }, argv: ['node', 'tslab', 'kernel'], deno: null });
    expect(channel).toEqual({ kind: 'tslab', write });
  });

  it('says so clearly when the callback is missing (another tslab version, or outside a cell)', () => {
    expect(() => findDisplayChannel({ cache: { [jupyterModule]: { exports: { lastWriteDisplayData: null } } }, argv: [], deno: null }))
      .toThrow(`display: the tslab kernel has no display callback (${jupyterModule} exports lastWriteDisplayData = null); convlab needs tslab 1.0.22 and must be called from a running cell`);
  });

  it("uses Deno.jupyter.broadcast in Deno's kernel, before looking for tslab", async () => {
    const sent: unknown[] = [];
    const deno = {
      jupyter: { broadcast: async (type: string, content: unknown) => { sent.push([type, content]); } },
      internals: { broadcastResult: async () => undefined },
    };
    const channel = findDisplayChannel({ cache: { [jupyterModule]: { exports: { lastWriteDisplayData: () => undefined } } }, argv: [], deno });
    expect(channel.kind).toBe('deno');
    if (channel.kind !== 'deno') return;
    channel.write({ data: { 'text/plain': 'x' }, metadata: {}, transient: { display_id: 'a' } }, false);
    await deno.internals.broadcastResult();
    expect(sent).toEqual([['display_data', { data: { 'text/plain': 'x' }, metadata: {}, transient: { display_id: 'a' } }]]);
  });

  it('refuses other Jupyter kernels, naming the two it supports', () => {
    const argv = ['node', '/usr/lib/node_modules/ijavascript/lib/kernel.js', '/root/.local/share/jupyter/runtime/kernel-1234.json'];
    expect(() => findDisplayChannel({ cache: {}, argv, deno: null })).toThrow(new RegExp(
      /^display: this Jupyter kernel is neither tslab nor Deno \(process started as 'node .*kernel-1234\.json'\); /.source +
        /convlab's displays need one of them: register both with 'convlab-kernelspec'/.source,
    ));
  });

  it('prints to the console in plain Node', () => {
    expect(findDisplayChannel({ cache: { '/srv/node_modules/pngjs/lib/png.js': { exports: {} } }, argv: ['node', 'script.js'], deno: null })).toEqual({ kind: 'console' });
    expect(findDisplayChannel()).toEqual({ kind: 'console' });
  });
});
