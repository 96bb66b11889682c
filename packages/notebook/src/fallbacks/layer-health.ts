import { describeLayerHealth, finiteOrNull, formatFloatPlain, LAYER_COLORS, type FloatValue, type LayerHealthData } from '@convlab/display';
import { escapeHtml, htmlTable } from './html.js';
import { lineChart, type ChartSeries } from './svg-chart.js';
import { textTable } from './text-table.js';

const HEADERS = ['Layer', 'Type', '‖W‖', '‖∇W‖', 'update/weight', 'dead ReLUs'];

const last = (line: readonly (FloatValue | null)[]): FloatValue | null => line[line.length - 1] ?? null;
const percent = (v: FloatValue | null): string => {
  const x = finiteOrNull(v);
  return x === null ? (v === null ? '' : formatFloatPlain(v)) : `${(100 * x).toFixed(1)}%`;
};

function rows(d: LayerHealthData): string[][] {
  return d.layers.map((l) => [
    l.layer, l.type, formatFloatPlain(last(l.weightNorm), 4), formatFloatPlain(last(l.gradNorm), 4), formatFloatPlain(last(l.updateRatio), 3), percent(last(l.deadFraction))
  ].map((c) => (c === '—' ? '' : c)));
}

/** The heading, then each layer's latest figures. */
export function layerHealthText(d: LayerHealthData): string {
  if (d.records.length === 0) return describeLayerHealth(d);
  return `${describeLayerHealth(d)}\n${textTable(HEADERS, ['left', 'left', 'right', 'right', 'right', 'right'], rows(d))}`;
}

/** The latest figures as a table, and the weight-norm and log₁₀ update/weight lines per layer (inline SVG). */
export function layerHealthHtml(d: LayerHealthData): string {
  const e = escapeHtml;
  const parts = [`<div>${e(describeLayerHealth(d))}</div>`];
  if (d.records.length > 0) {
    const steps = d.records.map((r) => r.step);
    const lines = (pick: (l: LayerHealthData['layers'][number]) => readonly (FloatValue | null)[], f: (x: number) => number): ChartSeries[] => d.layers
      .filter((l) => pick(l).some((v) => v !== null))
      .map((l, i) => (
        { name: l.layer, color: LAYER_COLORS[i % LAYER_COLORS.length]!, dots: true, points: pick(l).flatMap((v, r) => (finiteOrNull(v) === null ? [] : [[steps[r]!, f(finiteOrNull(v)!)] as const])) }
      ));
    const norm = lineChart({ title: 'weight norm', xLabel: 'step (batches)', width: 560, series: lines((l) => l.weightNorm, (x) => x) });
    const ratio = lineChart({ title: 'log10 update/weight', xLabel: 'step (batches)', width: 560, series: lines((l) => l.updateRatio, (x) => Math.log10(x)) });
    parts.push(`<div style="display:flex;gap:12px;flex-wrap:wrap"><div>${norm}<div style="text-align:center;font-size:12px">‖W‖ per layer</div></div>` +
      `<div>${ratio}<div style="text-align:center;font-size:12px">log₁₀ ‖ΔW‖/‖W‖ per layer</div></div></div>`);
    parts.push(htmlTable(HEADERS.map((header, i) => ({ header, align: i < 2 ? 'left' as const : 'right' as const })), rows(d).map((r) => r.map(e))));
  }
  return `<div class="convlab-layerhealth" style="font-family:sans-serif;font-size:13px">${parts.join('')}</div>`;
}
