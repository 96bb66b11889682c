// @vitest-environment jsdom
import './helpers/lumino-in-jsdom.js';
import { KINDS, mimeType, validate, type Kind } from '@convlab/display';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { describe, expect, it, vi } from 'vitest';
import { rendererFactory } from '../src/extension.js';
import { MARKUP } from './helpers/hostile-payloads.js';
import { attribution, CHECK, CONFUSION, featureMaps, FILTERS, history, LAYER_HEALTH, SUMMARY, TENSOR_VALUES, UNIT } from './helpers/payloads.js';

vi.mock('plotly.js-cartesian-dist-min', async () => ({ default: (await import('./helpers/fake-plotly.js')).fakePlotly }));

/**
 * Seeded, bounded fuzzing of every display kind: valid payloads mutated at random places (wrong
 * types, hostile numbers and strings, removed and added keys, `__proto__`, grown arrays, deep
 * nesting), random JSON, and broken JSON text go into the schema validator and into the renderer,
 * one renderer per kind updated in place as JupyterLab does. The validator must answer (never
 * throw); the renderer must resolve in bounded time and show either its view (a valid payload) or
 * an error box with a title and at least one reason (an invalid one) — never the box that reports a
 * view that threw — and inject nothing.
 */
const SEED = 0x5eed16;
const CASES_PER_KIND = 60;
const RENDER_BUDGET_MS = 2000;

const VALID: { readonly [K in Kind]: () => unknown } = {
  summary: () => SUMMARY,
  featuremaps: () => featureMaps(),
  history: () => history(6),
  tensor: () => TENSOR_VALUES,
  check: () => CHECK,
  confusion: () => CONFUSION,
  unit: () => UNIT,
  attribution: () => attribution(),
  filters: () => FILTERS,
  layerhealth: () => LAYER_HEALTH,
};

/** mulberry32: a small seeded generator, so a failure can be replayed from SEED. */
class Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  pick<T>(items: readonly T[]): T { return items[this.int(items.length)]!; }
  chance(p: number): boolean { return this.next() < p; }
}

/** A hostile stand-in for any value. */
function hostileValue(r: Random, depth = 0): unknown {
  const choices: (() => unknown)[] = [
    () => null, () => -1, () => 0, () => 1.5, () => 2 ** 53 + 2, () => -1e308, () => 1e308, () => 'NaN', () => 'Infinity', () => '-Infinity',
    () => '', () => MARKUP, () => 'x'.repeat(5000), () => true, () => [], () => ({}), () => [[[[]]]], () => '__proto__', () => 'constructor',
    () => Array.from({ length: 1 + r.int(5) }, () => r.int(10) - 3),
    () => JSON.parse('{"__proto__": {"polluted": 1}, "toString": 1, "constructor": "x"}'),
    () => (depth < 4 ? randomJson(r, depth + 1) : 7),
  ];
  return r.pick(choices)();
}

/** Random JSON of bounded depth and width. */
function randomJson(r: Random, depth = 0): unknown {
  if (depth >= 4 || r.chance(0.4)) return hostileValue(r, 4);
  if (r.chance(0.5)) return Array.from({ length: r.int(6) }, () => randomJson(r, depth + 1));
  const keys = ['name', 'shape', 'rows', 'layers', 'data', 'values', 'maps', 'image', 'kind', 'form', 'matrix', 'classes', 'batches', 'epochs', 'progress', 'x', '__proto__'];
  return Object.fromEntries(Array.from({ length: r.int(6) }, () => [r.pick(keys), randomJson(r, depth + 1)]));
}

/** A deep copy of `value` with one to three changes at random places. */
function mutate(r: Random, value: unknown): unknown {
  let out = structuredClone(value) as unknown;
  for (let n = 1 + r.int(3); n > 0; n--) out = mutateOnce(r, out);
  return out;
}

function mutateOnce(r: Random, value: unknown): unknown {
  const isArray = Array.isArray(value);
  const isObject = typeof value === 'object' && value !== null;
  if (!isObject || r.chance(0.15)) return hostileValue(r);
  const container = value as Record<string, unknown>;
  const keys = Object.keys(container);
  if (keys.length === 0 || r.chance(0.15)) {
    if (isArray) {
      const items = value as unknown[];
      // Grow, shrink or empty the array.
      return r.pick([() => [], () => items.slice(0, r.int(items.length + 1)), () => Array.from({ length: 50 }, () => items).flat(), () => [...items, hostileValue(r)]])();
    }
    const extra = r.pick(['__proto__', 'constructor', 'toString', 'extra', 'hasOwnProperty']);
    return r.chance(0.5) && keys.length > 0 ? (({ [r.pick(keys)]: _, ...rest }) => rest)(container) : { ...container, [extra]: hostileValue(r) };
  }
  const key = r.pick(keys);
  const copy = isArray ? [...(value as unknown[])] : { ...container };
  (copy as Record<string, unknown>)[key] = mutateOnce(r, container[key]);
  return copy;
}

/** A case: a payload for `kind` (an object, or the JSON text tslab may deliver) and how it was made. */
function cases(kind: Kind, r: Random): { readonly how: string; readonly data: unknown }[] {
  return Array.from({ length: CASES_PER_KIND }, (_, i) => {
    const valid = VALID[kind]();
    const roll = r.next();
    if (i % 10 === 0) return { how: 'valid', data: valid };
    if (roll < 0.7) return { how: 'mutated', data: mutate(r, valid) };
    if (roll < 0.85) return { how: 'random JSON', data: randomJson(r) };
    const text = JSON.stringify(mutate(r, valid));
    return { how: 'JSON text, cut or garbled', data: r.chance(0.5) ? text.slice(0, r.int(text.length)) : text.replace(/[,:\]}]/, r.pick(['', '{', '"', 'NaN'])) };
  });
}

function renderer(kind: Kind): IRenderMime.IRenderer {
  return rendererFactory.createRenderer({ mimeType: mimeType(kind), sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null });
}

function model(kind: Kind, data: unknown): IRenderMime.IMimeModel {
  return { trusted: false, data: { [mimeType(kind)]: data } as IRenderMime.IMimeModel['data'], metadata: {}, setData: () => undefined };
}

/** What the validator says about `data` (a JSON string is parsed first, as the renderer does). */
function validates(kind: Kind, data: unknown): boolean {
  if (typeof data !== 'string') return validate(kind, data).ok;
  try {
    return validate(kind, JSON.parse(data)).ok;
  } catch {
    return false;
  }
}

describe(`fuzzing the display schemas and renderers (seed ${SEED}, ${CASES_PER_KIND} payloads per kind)`, () => {
  const random = new Random(SEED);
  for (const kind of KINDS) {
    it(`${kind}: the validator answers and the renderer shows its view or an error box, in bounded time`, async () => {
      const r = renderer(kind);
      const tally = { valid: 0, refused: 0 };
      for (const { how, data } of cases(kind, random)) {
        const label = `${kind}, ${how}: ${JSON.stringify(data)?.slice(0, 300)}`;
        let ok = false;
        expect(() => { ok = validates(kind, data); }, label).not.toThrow();
        const start = performance.now();
        await expect(r.renderModel(model(kind, data)), label).resolves.toBeUndefined();
        expect(performance.now() - start, label).toBeLessThan(RENDER_BUDGET_MS);
        const box = r.node.querySelector('.jp-convlab-error');
        if (ok) {
          expect(box?.textContent ?? null, label).toBeNull();
          tally.valid++;
        } else {
          expect(box, label).not.toBeNull();
          expect(box!.querySelector('.jp-convlab-error-title')!.textContent, label).toMatch(/^This convlab \w+ display (has malformed data|is too large to show)$/);
          expect(box!.querySelectorAll('.jp-convlab-error-list li').length, label).toBeGreaterThan(0);
          tally.refused++;
        }
        expect(r.node.querySelectorAll('script').length, label).toBe(0);
        expect((globalThis as { pwned?: number }).pwned, label).toBeUndefined();
        expect(({} as { polluted?: number }).polluted, label).toBeUndefined();
      }
      // Both paths were exercised: the valid seeds (1 in 10) and plenty of refusals.
      expect(tally.valid).toBeGreaterThanOrEqual(CASES_PER_KIND / 10);
      expect(tally.refused).toBeGreaterThan(CASES_PER_KIND / 3);
    });
  }
});
