import { fail } from '../errors.js';
import type { ValuesVersion } from '../kernels/sgd.js';
import { Parameter } from '../nn/parameter.js';
import { checkOptions, describeValue, type OptionTypes } from '../options.js';
import { zeroGradients, type ZeroGradOptions } from '../nn/zero-grad.js';

/** A hyperparameter value: a number, a flag, or a pair (Adam's betas). */
export type Hyper = number | boolean | readonly [number, number];

/** The hyperparameters every optimizer has: the learning rate (what schedules change). */
export interface BaseHyper {
  lr: number;
}

/**
 * One parameter group, like an entry of `torch.optim.Optimizer.param_groups`: its parameters and
 * its own hyperparameters (defaults filled in). Schedules and users may change the hyperparameters
 * between steps, e.g. `optimizer.paramGroups[1].lr = 0.01`.
 */
export type ParamGroup<H extends BaseHyper> = H & { readonly params: readonly Parameter[] };

/**
 * A parameter group as passed to an optimizer's constructor: the parameters plus any
 * hyperparameters that differ from the optimizer's options.
 * @example new SGD([{ params: backbone.parameters(), lr: 1e-3 }, { params: head.parameters() }], { lr: 1e-2, momentum: 0.9 })
 */
export type ParamGroupSpec<H extends BaseHyper> = Partial<H> & { readonly params: Iterable<Parameter> };

/** What an optimizer is built from: parameters, or a list of parameter groups. */
export type Params<H extends BaseHyper> = Iterable<Parameter> | readonly ParamGroupSpec<H>[];

/** A per-parameter state entry: step counts and buffers (momentum, moment estimates). */
export type ParamState = Record<string, number | Float32Array>;

/**
 * An optimizer's state as plain data, like `Optimizer.state_dict()`: per-parameter state keyed by
 * the parameter's position (counting through the groups in order) and each group's
 * hyperparameters with the positions of its parameters. Buffers are copies.
 */
export interface OptimizerStateDict {
  readonly state: Readonly<Record<number, Readonly<ParamState>>>;
  readonly paramGroups: readonly { readonly [key: string]: Hyper | readonly number[]; readonly params: readonly number[] }[];
}

const isGroupList = (params: unknown): params is readonly Record<string, unknown>[] =>
  Array.isArray(params) && params.length > 0 && !(params[0] instanceof Parameter);

/**
 * Base class of the optimizers (PyTorch's `torch.optim.Optimizer`): parameter groups with their
 * hyperparameters, per-parameter state, {@link zeroGrad}, {@link step} and state dicts to resume a run.
 * A subclass gives its defaults and option types and the update rule of one parameter.
 */
export abstract class Optimizer<H extends BaseHyper = BaseHyper> {
  /** The groups, in the order given (one group when built from a parameter list). */
  readonly paramGroups: ParamGroup<H>[];
  /** Every parameter of every group. */
  readonly params: readonly Parameter[];
  /** Per-parameter state, created on a parameter's first update. */
  protected readonly state = new Map<Parameter, ParamState>();

  /**
   * @param defaults the hyperparameters from the options, with the optimizer's defaults filled in
   *   (`lr` may be NaN when the options gave none: then every group must give one).
   * @param types the option types, checked in the options and in every group.
   */
  constructor(params: Params<H>, options: Partial<H> | undefined, defaults: H, types: OptionTypes, readonly name: string) {
    if (params === undefined || params === null || typeof (params as Iterable<Parameter>)[Symbol.iterator] !== 'function') {
      fail(name, `expected parameters (model.parameters()) or a list of parameter groups [{ params, … }], got ${describeValue(params)}`);
    }
    const given = checkOptions(name, options, types);
    const base = { ...defaults, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) } as H;
    const specs: readonly Record<string, unknown>[] = isGroupList(params) ? params : [{ params }];
    const seen = new Set<Parameter>();
    this.paramGroups = specs.map((spec, g) => {
      const where = specs.length === 1 && !isGroupList(params) ? name : `${name} (param group ${g})`;
      if (typeof spec !== 'object' || spec === null || !('params' in spec)) fail(name, `param group ${g} must be an object { params, … }, got ${describeValue(spec)}`);
      const { params: groupParams, ...hyper } = spec;
      checkOptions(where, hyper, types);
      const list = groupParams instanceof Parameter ? [groupParams] : [...(groupParams as Iterable<unknown>)];
      if (list.length === 0) fail(where, 'got an empty parameter list');
      for (const p of list) {
        if (!(p instanceof Parameter)) fail(where, `expected Parameters, got ${describeValue(p)}`);
        if (p.isMeta) fail(where, `cannot optimize a meta parameter of shape [${p.shape.join(',')}] (model built without weights)`);
        if (seen.has(p)) fail(where, 'some parameters appear in more than one parameter group');
        seen.add(p);
      }
      const group = { ...base, ...Object.fromEntries(Object.entries(hyper).filter(([, v]) => v !== undefined)), params: list as Parameter[] } as ParamGroup<H>;
      if (Number.isNaN(group.lr) && options?.lr === undefined && hyper.lr === undefined) {
        fail(where, `needs a learning rate: new ${name}(model.parameters(), { lr: 0.01 }), or lr in every parameter group`);
      }
      this.checkGroup(group, where);
      return group;
    });
    this.params = [...seen];
  }

  /** Range checks of one group's hyperparameters (lr ≥ 0, betas in [0, 1), …); `where` names it in errors. */
  protected checkGroup(group: H, where: string): void {
    checkNonNegative(where, 'lr', group.lr);
  }

  /** The first group's learning rate; setting it sets every group's (one-group optimizers). */
  get lr(): number {
    return this.paramGroups[0]!.lr;
  }

  set lr(value: number) {
    for (const g of this.paramGroups) g.lr = value;
  }

  /**
   * Clears every parameter's gradient, like PyTorch's `zero_grad(set_to_none=True)`: `.grad`
   * becomes null, so {@link step} skips a parameter that gets no gradient before it. With
   * `{ setToNone: false }` (PyTorch's `set_to_none=False`) each existing `.grad` is filled with
   * zeros in place and kept: the next backward adds into it and allocates no new gradient arrays,
   * but a parameter that then gets no gradient is still stepped (with momentum or weight decay it
   * moves). References to a `.grad` taken before see the zeros.
   * @example optimizer.zeroGrad({ setToNone: false })
   */
  zeroGrad(options: ZeroGradOptions = {}): void {
    zeroGradients(this.params, options, `${this.name}.zeroGrad`);
  }

  /**
   * Updates every parameter that has a gradient; parameters without one are skipped, as in PyTorch.
   * Checks each group's hyperparameters first, so a NaN or negative lr set since construction
   * (by hand or by a schedule) is an error rather than NaN weights.
   */
  step(): void {
    this.paramGroups.forEach((group, g) => {
      this.checkGroup(group, this.paramGroups.length === 1 ? this.name : `${this.name} (param group ${g})`);
      for (const p of group.params) {
        const grad = p.peekGrad();
        if (grad === null) continue;
        let s = this.state.get(p);
        if (s === undefined) {
          s = this.initState(p, group);
          this.state.set(p, s);
        }
        const version = p.version;
        this.update(p.writeValues(), grad.readValues(), group, s, { owner: p, version });
      }
    });
  }

  /** The state of a parameter before its first update (PyTorch's lazy state initialization). */
  protected abstract initState(param: Parameter, group: H): ParamState;

  /**
   * Applies the rule to one parameter's values `w` given its gradient `g`, the group and the
   * parameter's state; `values` names the parameter and the version of its values before this
   * write (kernels that keep a copy of the values key it by them).
   */
  protected abstract update(w: Float32Array, g: Float32Array, group: H, state: ParamState, values: ValuesVersion): void;

  /** The optimizer's state as plain data (copies), like `state_dict()`; see {@link loadStateDict}. */
  stateDict(): OptimizerStateDict {
    const index = new Map(this.params.map((p, i) => [p, i]));
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      state[index.get(p)!] = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice()]));
    }
    const paramGroups = this.paramGroups.map(({ params, ...hyper }) => ({
      ...(Object.fromEntries(Object.entries(hyper).map(([k, v]) => [k, Array.isArray(v) ? [...(v as number[])] : v])) as Record<string, Hyper>),
      params: params.map((p) => index.get(p)!),
    }));
    return { state, paramGroups };
  }

  /**
   * Restores a state from {@link stateDict} (of an optimizer of the same kind over parameters of the
   * same shapes, grouped the same way): hyperparameters and buffers are copied in, so training
   * continues exactly as the saved run would have.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    if (dict.paramGroups.length !== this.paramGroups.length) fail(where, `the state has ${dict.paramGroups.length} parameter groups, this optimizer ${this.paramGroups.length}`);
    dict.paramGroups.forEach((saved, g) => {
      const group = this.paramGroups[g]!;
      if (saved.params.length !== group.params.length) fail(where, `parameter group ${g} has ${saved.params.length} parameters in the state, ${group.params.length} here`);
      const { params: _, ...hyper } = saved;
      const keys = Object.keys(group).filter((k) => k !== 'params');
      for (const k of keys) if (!(k in hyper)) fail(where, `parameter group ${g} of the state has no ${k}`);
      for (const [k, v] of Object.entries(hyper)) {
        if (!keys.includes(k)) fail(where, `parameter group ${g} of the state has ${k}, which ${this.name} does not use`);
        (group as unknown as Record<string, Hyper>)[k] = (Array.isArray(v) ? [...(v as number[])] : v) as Hyper;
      }
    });
    const positions = dict.paramGroups.flatMap((gr) => gr.params);
    const params = this.paramGroups.flatMap((gr) => gr.params);
    this.state.clear();
    for (const [key, s] of Object.entries(dict.state)) {
      const at = positions.indexOf(Number(key));
      const p = params[at];
      if (p === undefined) fail(where, `the state has an entry for parameter ${key}, which no group holds`);
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(s)) {
        if (typeof v !== 'number' && v.length !== p.size) fail(where, `state ${k} of parameter ${key} has ${v.length} values, the parameter ${p.size}`);
        copy[k] = typeof v === 'number' ? v : v.slice();
      }
      this.state.set(p, copy);
    }
  }
}

/** Throws unless `value` is a finite number ≥ 0. */
export function checkNonNegative(where: string, argument: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) fail(where, `${argument} must be a finite number ≥ 0, got ${value}`);
}

/** Throws unless 0 ≤ `value` < 1. */
export function checkFraction(where: string, argument: string, value: number): void {
  if (!(value >= 0 && value < 1)) fail(where, `${argument} must be in [0, 1), got ${value}`);
}
