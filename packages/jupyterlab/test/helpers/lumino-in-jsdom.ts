/**
 * Lumino's drag-and-drop module (loaded with @lumino/widgets) refers to the DragEvent class, which
 * jsdom lacks; this gives jsdom a stand-in. Import it before anything that loads Lumino.
 */
if (typeof globalThis.DragEvent === 'undefined') {
  globalThis.DragEvent = class DragEvent extends MouseEvent {} as typeof globalThis.DragEvent;
}
