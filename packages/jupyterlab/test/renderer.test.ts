// @vitest-environment jsdom
import './helpers/lumino-in-jsdom.js';
import { MIME_TYPES, mimeType, type Kind } from '@convlab/display';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import extension, { RANK, rendererFactory } from '../src/extension.js';
import { fakePlotly, plotOf, purged, resetFakePlotly, resized } from './helpers/fake-plotly.js';
import { CHECK, featureMaps, history, SUMMARY, TENSOR_VALUES } from './helpers/payloads.js';

vi.mock('plotly.js-cartesian-dist-min', async () => ({ default: (await import('./helpers/fake-plotly.js')).fakePlotly }));

function model(kind: Kind, data: unknown): IRenderMime.IMimeModel {
  return { trusted: false, data: { [mimeType(kind)]: data } as IRenderMime.IMimeModel['data'], metadata: {}, setData: () => undefined };
}

function renderer(kind: Kind): IRenderMime.IRenderer {
  return rendererFactory.createRenderer({ mimeType: mimeType(kind), sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null });
}

const errorOf = (r: IRenderMime.IRenderer): { title: string; items: string[] } | null => {
  const box = r.node.querySelector('.jp-convlab-error');
  return box === null ? null : { title: box.querySelector('.jp-convlab-error-title')!.textContent!, items: [...box.querySelectorAll('li')].map((li) => li.textContent!) };
};

beforeEach(() => resetFakePlotly());

describe('the MIME renderer extension', () => {
  it('renders every convlab type, safely, ahead of the HTML fallback (rank 50)', () => {
    expect(rendererFactory.safe).toBe(true);
    expect(rendererFactory.mimeTypes).toEqual(MIME_TYPES);
    expect(RANK).toBeLessThan(50);
    expect(extension).toMatchObject({ id: '@convlab/jupyterlab:renderers', rendererFactory, rank: RANK, dataType: 'json' });
    expect(
      () => rendererFactory.createRenderer({ mimeType: 'application/vnd.convlab.summary.v2+json', sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null })
    )
      .toThrow('@convlab/jupyterlab: no renderer for application/vnd.convlab.summary.v2+json');
  });
});

describe('ConvlabRenderer', () => {
  it('renders each kind from a JSON object or from a JSON string (tslab.display.raw)', async () => {
    const cases: [Kind, unknown, string][] = [
      ['summary', SUMMARY, '.jp-convlab-summary-table'],
      ['featuremaps', featureMaps(), '.jp-convlab-fm-layer'],
      ['history', history(5), '.jp-convlab-progress'],
      ['tensor', TENSOR_VALUES, '.jp-convlab-values'],
      ['check', CHECK, '.jp-convlab-check-title'],
    ];
    for (const [kind, data, selector] of cases) {
      for (const payload of [data, JSON.stringify(data)]) {
        const r = renderer(kind);
        await r.renderModel(model(kind, payload));
        expect(errorOf(r), kind).toBeNull();
        expect(r.node.querySelector(selector), kind).not.toBeNull();
        expect(r.node.classList.contains(`jp-convlab-${kind}-output`)).toBe(true);
      }
    }
  });

  it('shows every schema problem of a malformed payload in an error box', async () => {
    const r = renderer('summary');
    await r.renderModel(model('summary', { ...SUMMARY, rows: [{ ...SUMMARY.rows[0]!, params: '12', depth: -1 }], totals: undefined }));
    expect(errorOf(r)).toEqual({
      title: 'This convlab summary display has malformed data',
      items: [
        'summary.rows[0].depth: expected a non-negative integer, got -1',
        'summary.rows[0].params: expected a non-negative integer, got "12"',
        'summary.totals: expected an object, got nothing',
      ],
    });
    expect(r.node.querySelector('table')).toBeNull();
  });

  it('refuses NaN and Infinity as numbers (the schema spells them as strings) and missing fields', async () => {
    const r = renderer('history');
    const data = history(2);
    await r.renderModel(model('history', { ...data, batches: [{ ...data.batches[0]!, loss: Number.NaN }, { ...data.batches[1]!, accuracy: Infinity }], progress: undefined }));
    expect(errorOf(r)!.items).toEqual([
      'history.batches[0].loss: expected a number or "NaN"/"Infinity"/"-Infinity", got NaN',
      'history.batches[1].accuracy: expected a number or "NaN"/"Infinity"/"-Infinity", got Infinity',
      'history.progress: expected an object, got nothing',
    ]);
    expect(r.node.querySelector('.jp-convlab-plot')).toBeNull();
  });

  it('explains a string payload that is not JSON', async () => {
    const r = renderer('check');
    await r.renderModel(model('check', '{"name": '));
    expect(errorOf(r)!.title).toBe('This convlab check display has malformed data');
    expect(errorOf(r)!.items[0]).toMatch(/^check: the payload is a string that is not JSON \(/);
  });

  it('lists the first ten problems and counts the rest', async () => {
    const r = renderer('tensor');
    await r.renderModel(model('tensor', { ...TENSOR_VALUES, values: Array.from({ length: 9 }, () => 'x'), shape: [3, 3], stats: {} }));
    const { items } = errorOf(r)!;
    expect(items).toHaveLength(11);
    expect(items[0]).toBe('tensor.stats.min: expected a number or "NaN"/"Infinity"/"-Infinity", got nothing');
    expect(items[10]).toBe('… and 2 more');
  });

  it('refuses an oversized payload with a message, without drawing it', async () => {
    const r = renderer('featuremaps');
    const data = featureMaps();
    const huge = { ...data, layers: [{ ...data.layers[0]!, maps: { ...data.layers[0]!.maps, data: 'A'.repeat(9_000_000) } }] };
    await r.renderModel(model('featuremaps', huge));
    expect(errorOf(r)).toEqual({
      title: 'This convlab featuremaps display is too large to show',
      items: ['its data is over 8.0 MB of JSON, the most this renderer accepts; display less (fewer layers, channels or points)'],
    });
    expect(r.node.querySelector('.jp-convlab-plot')).toBeNull();
    const text = renderer('history');
    await text.renderModel(model('history', JSON.stringify({ ...history(1), pad: 'x'.repeat(2_000_001) })));
    expect(errorOf(text)!.title).toBe('This convlab history display is too large to show');
  });

  it('shows markup in layer names as text, never as HTML', async () => {
    const hostile = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script>';
    const data = featureMaps();
    const r = renderer('featuremaps');
    await r.renderModel(model('featuremaps', { ...data, layers: data.layers.map((l) => ({ ...l, name: hostile, type: hostile })) }));
    expect(r.node.querySelectorAll('img, script')).toHaveLength(0);
    expect(r.node.querySelector('.jp-convlab-fm-layer-header .jp-convlab-title')!.textContent).toBe(hostile);
    // Nothing from the payload reaches plotly as text: hover templates and titles are convlab's own.
    const plot = plotOf(r.node.querySelector('.jp-convlab-fm-layer .jp-convlab-plot'));
    expect(JSON.stringify(plot.data)).not.toContain('<img');
    expect(JSON.stringify(plot.layout)).not.toContain('<img');
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it('updates the same view on update_display_data; a bad update shows an error that a good one clears', async () => {
    const r = renderer('history');
    await r.renderModel(model('history', history(4)));
    const view = r.node.querySelector<HTMLElement>('.jp-convlab-history')!;
    const plot = view.querySelector('.jp-convlab-plot')!;
    await r.renderModel(model('history', { ...history(5), batchesPerPoint: 0 }));
    expect(errorOf(r)!.items).toEqual(['history.batchesPerPoint: expected an integer ≥ 1, got 0']);
    expect(view.hidden).toBe(true);
    await r.renderModel(model('history', history(6)));
    expect(errorOf(r)).toBeNull();
    expect(r.node.querySelector('.jp-convlab-history')).toBe(view);
    expect(view.hidden).toBe(false);
    expect(plotOf(plot).reacts).toBe(2);
    expect((plotOf(plot).data[0] as { x: readonly number[] }).x).toHaveLength(6);
  });

  it('shows an error when drawing fails', async () => {
    vi.spyOn(fakePlotly, 'react').mockRejectedValueOnce(new Error('plotly exploded'));
    const r = renderer('history');
    await r.renderModel(model('history', history(2)));
    expect(errorOf(r)).toEqual({ title: 'convlab could not draw this history display', items: ['plotly exploded'] });
  });

  it('fits its plots when JupyterLab resizes the output, and frees them on dispose', async () => {
    const r = renderer('history');
    await r.renderModel(model('history', history(3)));
    Widget.attach(r, document.body);
    const plot = r.node.querySelector('.jp-convlab-plot');
    resized.length = 0;
    MessageLoop.sendMessage(r, Widget.ResizeMessage.UnknownSize);
    expect(resized).toEqual([plot]);
    Widget.detach(r);
    r.dispose();
    expect(purged).toEqual([plot]);
  });
});
