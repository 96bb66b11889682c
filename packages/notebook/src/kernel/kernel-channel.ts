import { ConvlabError } from '@convlab/core';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import type { MimeBundle } from '../bundle.js';
import { denoKernel, denoWriter, type DenoJupyter, type DenoKernelInternals } from './deno-channel.js';

/**
 * Where convlab's displays go: the kernel this code runs in. Two TypeScript kernels are supported,
 * each through the way it sends a whole MIME bundle (JSON objects included) and updates it in place:
 * - tslab: its public `display` sends one MIME type per message, as a string, so convlab uses the
 *   running kernel's display callback, which tslab 1.0.22 keeps in its `dist/jupyter` module as
 *   `lastWriteDisplayData(content, update)` (`update` turns `display_data` into `update_display_data`);
 * - Deno (`deno jupyter`): the public `Deno.jupyter.broadcast` (deno-channel.ts).
 */

/** The body of a `display_data` / `update_display_data` message. */
export interface DisplayContent {
  readonly data: MimeBundle;
  readonly metadata: Record<string, never>;
  readonly transient: { readonly display_id?: string };
}

/** Sends one display message; `update` makes it an `update_display_data` of the same display id. */
export type WriteDisplayData = (content: DisplayContent, update: boolean) => void;

/** Where displays go: a kernel's iopub channel, or the console outside any kernel. */
export type DisplayChannel =
  | { readonly kind: 'tslab' | 'deno'; readonly write: WriteDisplayData }
  | { readonly kind: 'console' };

/** A loaded CommonJS module as `require.cache` holds it. */
export interface CachedModule { readonly exports: unknown }

/** What {@link findDisplayChannel} looks at; each part defaults to this process's own. */
export interface KernelProcess {
  /** Node's `require.cache`. */
  readonly cache?: Readonly<Record<string, CachedModule | undefined>>;
  readonly argv?: readonly string[];
  /** Deno's kernel API, when this is `deno jupyter`. */
  readonly deno?: { readonly jupyter: DenoJupyter; readonly internals: DenoKernelInternals } | null;
}

const TSLAB_JUPYTER = `${sep}tslab${sep}dist${sep}jupyter.js`;

/**
 * Picks the display channel from the process:
 * - Deno's Jupyter kernel → `Deno.jupyter.broadcast`;
 * - tslab's `dist/jupyter` module loaded → the tslab kernel: its `lastWriteDisplayData`
 *   (an error if that is missing, e.g. another tslab version, or called outside a cell);
 * - a Jupyter connection file in `argv` → another kernel: an error naming the supported ones;
 * - otherwise plain Node or Deno → the console.
 */
export function findDisplayChannel(process_: KernelProcess = {}): DisplayChannel {
  const deno = process_.deno === undefined ? denoKernel() : process_.deno;
  if (deno !== null) return { kind: 'deno', write: denoWriter(deno.jupyter, deno.internals) };
  const cache = process_.cache ?? nodeRequireCache();
  const key = Object.keys(cache).find((k) => k.endsWith(TSLAB_JUPYTER));
  if (key !== undefined) {
    const write = (cache[key]?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof write !== 'function') {
      throw new ConvlabError(`display: the tslab kernel has no display callback (${key} exports lastWriteDisplayData ` +
        `= ${String(write)}); convlab needs tslab 1.0.22 and must be called from a running cell`);
    }
    return { kind: 'tslab', write: write as WriteDisplayData };
  }
  const argv = process_.argv ?? process.argv;
  const connection = argv.find((a) => /(^|[\\/])kernel-[^\\/]*\.json$/.test(a));
  if (connection !== undefined) {
    throw new ConvlabError(`display: this Jupyter kernel is neither tslab nor Deno (process started as '${argv.join(' ')}'); convlab's displays need ` +
      `one of them: register both with 'convlab-kernelspec' and pick "TypeScript (convlab, tslab)" or "TypeScript (convlab, Deno)"`);
  }
  return { kind: 'console' };
}

function nodeRequireCache(): Readonly<Record<string, CachedModule | undefined>> {
  return createRequire(join(process.cwd(), 'index.js')).cache ?? {};
}
