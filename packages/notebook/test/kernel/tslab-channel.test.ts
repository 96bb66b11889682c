import { describe, expect, it } from 'vitest';
import { findDisplayChannel } from '../../src/kernel/tslab-channel.js';

const jupyterModule = '/srv/node_modules/tslab/dist/jupyter.js';

describe('findDisplayChannel', () => {
  it("uses the tslab kernel's display callback when tslab's jupyter module is loaded", () => {
    const write = (): void => undefined;
    const channel = findDisplayChannel({ [jupyterModule]: { exports: { lastWriteDisplayData: write } } }, ['node', 'tslab', 'kernel']);
    expect(channel).toEqual({ kind: 'tslab', write });
  });

  it('says so clearly when the callback is missing (another tslab version, or outside a cell)', () => {
    expect(() => findDisplayChannel({ [jupyterModule]: { exports: { lastWriteDisplayData: null } } }, []))
      .toThrow(`display: the tslab kernel has no display callback (${jupyterModule} exports lastWriteDisplayData = null); convlab needs tslab 1.0.22 and must be called from a running cell`);
  });

  it('refuses other Jupyter kernels', () => {
    const argv = ['node', '/usr/lib/node_modules/ijavascript/lib/kernel.js', '/root/.local/share/jupyter/runtime/kernel-1234.json'];
    expect(() => findDisplayChannel({}, argv)).toThrow(/^display: this Jupyter kernel is not tslab \(process started as 'node .*kernel-1234\.json'\); convlab's displays need the tslab kernel/);
  });

  it('prints to the console in plain Node', () => {
    expect(findDisplayChannel({ '/srv/node_modules/pngjs/lib/png.js': { exports: {} } }, ['node', 'script.js'])).toEqual({ kind: 'console' });
  });
});
