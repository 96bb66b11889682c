import type { SummaryRow } from '@convlab/display';
import { describe, expect, it } from 'vitest';
import { isHidden, summaryTree } from '../../src/views/summary-tree.js';
import { SUMMARY } from '../helpers/payloads.js';

const row = (name: string, depth: number, params: number): SummaryRow => ({
  name, depth, type: 'Conv2d', arguments: '', outputShape: [params], params, trainable: params, share: params / 100, macs: 10 * params, receptiveField: null, global: false,
});

describe('summaryTree', () => {
  it('makes a group line for each shared name prefix, with the sums of its layers', () => {
    const lines = summaryTree(SUMMARY.rows);
    expect(lines.map((l) => [l.name, l.depth, l.group, l.parent])).toEqual([
      ['features', 1, true, null],
      ['features.0', 2, false, 0],
      ['features.1', 2, false, 0],
      ['features.2', 2, false, 0],
      ['flatten', 1, false, null],
      ['fc', 1, false, null],
    ]);
    expect(lines[0]).toMatchObject({ params: 40, trainable: 40, macs: 2304, share: 40 / 300, outputShape: [4, 4, 4], receptiveField: { size: [4, 4], stride: [2, 2], padding: [1, 1] }, type: '' });
  });

  it('nests deeper groups (ResNet-style names) and opens a new group when a prefix comes back later', () => {
    const lines = summaryTree([row('conv1', 1, 1), row('layer1.0.conv1', 3, 2), row('layer1.0.conv2', 3, 3), row('layer1.1.conv1', 3, 4), row('fc', 1, 5), row('layer1.1.conv2', 3, 6)]);
    expect(lines.map((l) => `${l.name}:${l.parent ?? '-'}:${l.params}`)).toEqual([
      'conv1:-:1', 'layer1:-:9', 'layer1.0:1:5', 'layer1.0.conv1:2:2', 'layer1.0.conv2:2:3', 'layer1.1:1:4', 'layer1.1.conv1:5:4',
      'fc:-:5', 'layer1:-:6', 'layer1.1:8:6', 'layer1.1.conv2:9:6',
    ]);
  });

  it('uses no more prefixes than the row depth says (a collapsed block at depth 1 keeps its dotted name)', () => {
    expect(summaryTree([row('a.b', 1, 1)]).map((l) => l.name)).toEqual(['a.b']);
  });

  it('hides the lines of collapsed groups and of groups inside them', () => {
    const lines = summaryTree([row('layer1.0.conv1', 3, 2), row('layer1.0.conv2', 3, 3), row('fc', 1, 5)]);
    expect(lines.map((_, i) => isHidden(lines, i, new Set([0])))).toEqual([false, true, true, true, false]);
    expect(lines.map((_, i) => isHidden(lines, i, new Set([1])))).toEqual([false, false, true, true, false]);
  });
});

describe('summaryTree on hostile names', () => {
  it('nests at most maxDepth group levels, in time linear in the names', () => {
    const name = Array.from({ length: 24_000 }, (_, i) => `s${i}`).join('.');
    const start = performance.now();
    const lines = summaryTree([row(name, 24_000, 1), row(`${name}.x`, 24_001, 2)], 3);
    expect(performance.now() - start).toBeLessThan(100);
    expect(lines.map((l) => [l.name.length > 20 ? `${l.name.slice(0, 12)}…` : l.name, l.depth, l.group, l.parent, l.params])).toEqual([
      ['s0', 1, true, null, 3], ['s0.s1', 2, true, 0, 3], ['s0.s1.s2', 3, true, 1, 3], ['s0.s1.s2.s3.…', 4, false, 2, 1], ['s0.s1.s2.s3.…', 4, false, 2, 2],
    ]);
  });
});
