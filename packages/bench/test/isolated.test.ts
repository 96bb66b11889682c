import { describe, expect, it } from 'vitest';
// The built module: it forks dist/peer-process.js next to itself (the test command builds first).
import { IsolatedSystem } from '../dist/isolated.js';

describe('IsolatedSystem', () => {
  it('runs a JavaScript peer in its own process: prepare, timed back-to-back runs, skips, close', async () => {
    const peer = await IsolatedSystem.create('convnetjs');
    try {
      expect(peer.name).toBe('convnetjs');
      expect(await peer.prepare('lenet-epoch')).toEqual({ skipped: 'an epoch takes minutes' });
      const runner = await peer.prepare('conv64-fwd');
      if ('skipped' in runner) throw new Error(`unexpected skip: ${runner.skipped}`);
      expect([runner.work, runner.note]).toEqual([2 * 64 * 56 * 56 * 64 * 9, 'batch 1']);
      const once = await runner.run(1);
      const thrice = await runner.run(3);
      expect(once).toBeGreaterThan(0);
      expect(thrice).toBeGreaterThan(once);
      await runner.dispose();
    } finally {
      await peer.close();
    }
  });
});
