import { fail } from '../errors.js';
import { Tensor } from '../tensor.js';
import { Parameter } from './parameter.js';
import { zeroGradients, type ZeroGradOptions } from './zero-grad.js';

/** Called after a module's forward with its input and output; see {@link Module.registerForwardHook}. */
export type ForwardHook = (module: Module, input: Tensor, output: Tensor) => void;

/** Removes a hook registered with {@link Module.registerForwardHook}. */
export interface HookHandle {
  remove(): void;
}

/** Each module's forward hooks, kept beside the instance (PyTorch's private `_forward_hooks`). */
const forwardHooks = new WeakMap<Module, Set<ForwardHook>>();

/**
 * Whether `module` has a forward hook registered. Internal to `nn` (not exported by the package):
 * a plan then runs the module by itself, never fused, so that the hook sees its output (`runPlan`).
 */
export function hasForwardHooks(module: Module): boolean {
  return (forwardHooks.get(module)?.size ?? 0) > 0;
}

/**
 * Base class of every layer and model, in PyTorch's vocabulary.
 *
 * Sub-modules and parameters are found from the instance's own properties, in the order they
 * were assigned, so a field `conv1 = new Conv2d(1, 6, 5)` yields parameters `conv1.weight` and
 * `conv1.bias`. Containers register children under explicit names (`features.0`) with
 * {@link Module.addModule}; buffers (running statistics) are registered under their PyTorch names.
 *
 * @example
 * class Net extends Module {
 *   conv = new Conv2d(1, 6, 5);
 *   fc = new Linear(6 * 28 * 28, 10);
 *   forward(x: Tensor): Tensor { return this.fc.call(flatten(relu(this.conv.call(x)))); }
 * }
 */
export abstract class Module {
  /** Training mode (dropout active, batch norm uses batch statistics); see {@link Module.eval}. */
  training = true;
  private readonly namedChildModules = new Map<string, Module>();
  private readonly namedBufferTensors = new Map<string, Tensor>();

  /** The computation. Call modules through {@link Module.call} so hooks run. */
  abstract forward(input: Tensor): Tensor;

  /**
   * Runs `forward` and then the forward hooks. Checks that `forward` returned a tensor, so that a
   * layer assigned instead of called (`x = this.fc3`) is reported here, naming the module.
   */
  call(input: Tensor): Tensor {
    const output: unknown = this.forward(input);
    if (!(output instanceof Tensor)) {
      const got = output instanceof Module ? `the ${output.typeName} module itself` : output === null ? 'null' : typeof output;
      const hint = output instanceof Module ? ` (a layer assigned instead of called? write x = layer.call(x))` : '';
      fail(`${this.typeName}.forward`, `must return a Tensor, got ${got}${hint}`);
    }
    this.runForwardHooks(input, output);
    return output;
  }

  /** Runs the forward hooks; for forwards that take more than one argument (e.g. `MaxUnpool2d.unpool`). */
  protected runForwardHooks(input: Tensor, output: Tensor): void {
    for (const hook of forwardHooks.get(this) ?? []) hook(this, input, output);
  }

  /** Registers `hook` to run after every forward of this module. */
  registerForwardHook(hook: ForwardHook): HookHandle {
    const hooks = forwardHooks.get(this) ?? new Set<ForwardHook>();
    forwardHooks.set(this, hooks);
    hooks.add(hook);
    return { remove: () => hooks.delete(hook) };
  }

  /** The class name shown by `toString()` and the summary (`Conv2d`, `Sequential`, …). */
  get typeName(): string {
    return this.constructor.name;
  }

  /** Registers a child under an explicit name (containers use `'0'`, `'1'`, …). */
  addModule(name: string, module: Module): void {
    if (name === '' || name.includes('.')) fail(this.typeName, `module name must be non-empty without dots, got '${name}'`);
    this.namedChildModules.set(name, module);
  }

  /** Registers a non-trainable state tensor under its PyTorch name (e.g. `running_mean`). */
  registerBuffer(name: string, tensor: Tensor): void {
    this.namedBufferTensors.set(name, tensor);
  }

  /** Direct children with their names, in registration order. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [...this.namedChildModules];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module && !out.some(([, m]) => m === value)) out.push([key, value]);
    }
    return out;
  }

  /** This module's own parameters (not its children's), with their names. */
  ownParameters(): [string, Parameter][] {
    return Object.entries(this).filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  /** This module's own buffers, with their PyTorch names. */
  ownBuffers(): [string, Tensor][] {
    return [...this.namedBufferTensors];
  }

  /** Every module in the tree, depth first, with dotted names (`''` for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) out.push(...child.namedModules(prefix === '' ? name : `${prefix}.${name}`));
    return out;
  }

  /** Every parameter with its dotted name (`features.0.weight`), each listed once. */
  namedParameters(): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    for (const [prefix, module] of this.namedModules()) {
      for (const [name, p] of module.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([prefix === '' ? name : `${prefix}.${name}`, p]);
      }
    }
    return out;
  }

  /** Every parameter, each once. */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer with its dotted name (`bn1.running_mean`). */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, module] of this.namedModules()) {
      for (const [name, b] of module.ownBuffers()) out.push([prefix === '' ? name : `${prefix}.${name}`, b]);
    }
    return out;
  }

  /** Sets training mode on this module and every descendant. Returns this. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears `.grad` of every parameter: null, or zeros kept in place with `{ setToNone: false }` (see `Optimizer.zeroGrad`). */
  zeroGrad(options: ZeroGradOptions = {}): void {
    zeroGradients(this.parameters(), options, `${this.typeName}.zeroGrad`);
  }

  /** The arguments shown inside the parentheses of `toString()` (non-default ones only). */
  extraRepr(): string {
    return '';
  }

  /** A PyTorch-style repr: `Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))` etc. */
  toString(): string {
    const extra = this.extraRepr();
    const children = this.namedChildren();
    if (children.length === 0) return `${this.typeName}(${extra})`;
    const lines = children.map(([name, child]) => `(${name}): ${child.toString().split('\n').join('\n  ')}`);
    if (extra !== '') lines.unshift(extra);
    return `${this.typeName}(\n  ${lines.join('\n  ')}\n)`;
  }
}
