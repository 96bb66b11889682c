import type { SummaryRow } from '@convlab/display';
import { RENDER_LIMITS } from '../render-limits.js';

/**
 * A line of the parameter table: a layer (a summary row), or a group of consecutive layers that
 * share a dotted-name prefix (`layer1`, `layer1.0`). Summary rows are layer calls only, so groups
 * are made here from the names; a group shows the sums of its layers and its last layer's output.
 */
export interface TreeRow extends SummaryRow {
  /** A group line; its `type` and `arguments` are empty. */
  readonly group: boolean;
  /** Index of the enclosing group's line, or null at the top level. */
  readonly parent: number | null;
}

type Line = { -readonly [K in keyof TreeRow]: TreeRow[K] };

interface OpenGroup {
  readonly prefix: string;
  readonly index: number;
}

/**
 * The table's lines in execution order: before each layer, a group line for every name prefix
 * (`layer1`, then `layer1.0` for `layer1.0.conv1` at depth 3) not already open. A group stays open
 * while the following layers share its prefix. At most `maxDepth` group levels: a deeper name sits
 * in its `maxDepth`-th group, so the work is linear in the names' length.
 */
export function summaryTree(rows: readonly SummaryRow[], maxDepth: number = RENDER_LIMITS.summaryGroupDepth): TreeRow[] {
  const lines: Line[] = [];
  let open: OpenGroup[] = [];
  for (const row of rows) {
    const prefixes = namePrefixes(row.name, Math.min(row.depth - 1, maxDepth));
    let kept = 0;
    while (kept < open.length && kept < prefixes.length && open[kept]!.prefix === prefixes[kept]) kept++;
    open = open.slice(0, kept);
    for (let i = kept; i < prefixes.length; i++) {
      lines.push({
        name: prefixes[i]!, depth: i + 1, group: true, type: '', arguments: '', outputShape: row.outputShape,
        params: 0, trainable: 0, share: 0, macs: 0, ...(row.activationBytes === undefined ? {} : { activationBytes: 0 }), receptiveField: row.receptiveField, global: row.global,
        parent: open.length > 0 ? open[open.length - 1]!.index : null,
      });
      open.push({ prefix: prefixes[i]!, index: lines.length - 1 });
    }
    lines.push({ ...row, group: false, depth: prefixes.length + 1, parent: open.length > 0 ? open[open.length - 1]!.index : null });
    for (const { index } of open) {
      const group = lines[index]!;
      group.params += row.params;
      group.trainable += row.trainable;
      group.share += row.share;
      group.macs += row.macs;
      if (group.activationBytes !== undefined && row.activationBytes !== undefined) group.activationBytes += row.activationBytes;
      group.outputShape = row.outputShape;
      group.receptiveField = row.receptiveField;
      group.global = row.global;
    }
  }
  return lines;
}

/** The first `count` dotted prefixes of `name` (`a`, `a.b` for `a.b.c`), fewer if it has fewer dots. */
function namePrefixes(name: string, count: number): string[] {
  const prefixes: string[] = [];
  for (let dot = name.indexOf('.'); dot !== -1 && prefixes.length < count; dot = name.indexOf('.', dot + 1)) prefixes.push(name.slice(0, dot));
  return prefixes;
}

/** Whether line `index` is hidden because one of its enclosing groups is collapsed. */
export function isHidden(lines: readonly TreeRow[], index: number, collapsed: ReadonlySet<number>): boolean {
  for (let p = lines[index]!.parent; p !== null; p = lines[p]!.parent) if (collapsed.has(p)) return true;
  return false;
}
