import { kindOfMime, MIME_TYPES } from '@convlab/display';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { ConvlabRenderer } from './renderer.js';

/**
 * Rank below JupyterLab's HTML renderer (50): convlab bundles carry `text/html` fallbacks for
 * front ends without this extension, and this renderer must win over them.
 */
export const RANK = 20;

/** Renders every convlab MIME type. Safe: it never executes code and shows payload strings as text. */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: MIME_TYPES,
  defaultRank: RANK,
  createRenderer: (options) => {
    const kind = kindOfMime(options.mimeType);
    if (kind === null) throw new Error(`@convlab/jupyterlab: no renderer for ${options.mimeType}`);
    return new ConvlabRenderer(kind, options.mimeType);
  },
};

/** The MIME renderer extension JupyterLab loads. */
const extension: IRenderMime.IExtension = {
  id: '@convlab/jupyterlab:renderers',
  description: "Renders convlab's displays: parameter tables, feature maps with receptive fields, live loss curves, tensors and exercise checks.",
  rendererFactory,
  rank: RANK,
  dataType: 'json',
};

export default extension;
