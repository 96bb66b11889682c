/**
 * `@convlab/jupyterlab`: JupyterLab 4 renderers for convlab's displays. The default export is the
 * MIME renderer extension JupyterLab loads.
 */
export { default, rendererFactory, RANK } from './extension.js';
export { ConvlabRenderer } from './renderer.js';
export { readModelData, type Reading } from './read-payload.js';
