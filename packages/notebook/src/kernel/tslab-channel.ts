import { ConvlabError } from '@convlab/core';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import type { MimeBundle } from '../bundle.js';

/**
 * The one place convlab touches tslab's internals. tslab's public `display` sends one MIME type per
 * message, as a string; convlab needs whole bundles with JSON objects. tslab 1.0.22 keeps the
 * running kernel's display callback in its `dist/jupyter` module as `lastWriteDisplayData(content,
 * update)`, where `content` is the body of a `display_data` message and `update` turns it into
 * `update_display_data`. This module finds that callback in the kernel process.
 */

/** The body of a `display_data` / `update_display_data` message. */
export interface DisplayContent {
  readonly data: MimeBundle;
  readonly metadata: Record<string, never>;
  readonly transient: { readonly display_id?: string };
}

/** tslab's callback that sends one display message. */
export type WriteDisplayData = (content: DisplayContent, update: boolean) => void;

/** Where displays go: the tslab kernel's iopub channel, or the console outside any kernel. */
export type DisplayChannel = { readonly kind: 'tslab'; readonly write: WriteDisplayData } | { readonly kind: 'console' };

/** A loaded CommonJS module as `require.cache` holds it. */
export interface CachedModule { readonly exports: unknown }

const TSLAB_JUPYTER = `${sep}tslab${sep}dist${sep}jupyter.js`;

/**
 * Picks the display channel from what this process has loaded (`cache`, default Node's
 * `require.cache`) and how it was started (`argv`):
 * - tslab's `dist/jupyter` module loaded → the tslab kernel: its `lastWriteDisplayData`
 *   (an error if that is missing, e.g. another tslab version, or called outside a cell);
 * - a Jupyter connection file in `argv` → another kernel: an error saying convlab needs tslab;
 * - otherwise plain Node → the console.
 */
export function findDisplayChannel(cache: Readonly<Record<string, CachedModule | undefined>> = nodeRequireCache(), argv: readonly string[] = process.argv): DisplayChannel {
  const key = Object.keys(cache).find((k) => k.endsWith(TSLAB_JUPYTER));
  if (key !== undefined) {
    const write = (cache[key]?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof write !== 'function') {
      throw new ConvlabError(`display: the tslab kernel has no display callback (${key} exports lastWriteDisplayData = ${String(write)}); convlab needs tslab 1.0.22 and must be called from a running cell`);
    }
    return { kind: 'tslab', write: write as WriteDisplayData };
  }
  const connection = argv.find((a) => /(^|[\\/])kernel-[^\\/]*\.json$/.test(a));
  if (connection !== undefined) {
    throw new ConvlabError(`display: this Jupyter kernel is not tslab (process started as '${argv.join(' ')}'); convlab's displays need the tslab kernel: install it with 'node packages/notebook/dist/tools/install-kernelspec.js' and start Jupyter with JUPYTER_PATH=.convlab/jupyter`);
  }
  return { kind: 'console' };
}

function nodeRequireCache(): Readonly<Record<string, CachedModule | undefined>> {
  return createRequire(join(process.cwd(), 'index.js')).cache;
}
