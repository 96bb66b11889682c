import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { DisplayContent } from '../../src/kernel/kernel-channel.js';

/** One message sent through the fake kernel channel. */
export interface SentMessage {
  readonly content: DisplayContent;
  readonly update: boolean;
}

const cache = createRequire(join(process.cwd(), 'index.js')).cache as Record<string, unknown>;
const KEY = join('/fake', 'node_modules', 'tslab', 'dist', 'jupyter.js');

/**
 * Puts a stand-in for tslab's `dist/jupyter` module into Node's require cache, as the tslab kernel
 * process has it, recording what convlab sends. Call the returned function to remove it.
 */
export function installFakeTslab(): { sent: SentMessage[]; remove: () => void } {
  const sent: SentMessage[] = [];
  cache[KEY] = { exports: { lastWriteDisplayData: (content: DisplayContent, update: boolean) => sent.push({ content, update }) } };
  return { sent, remove: () => { delete cache[KEY]; } };
}
