/**
 * Element construction. Every string that may come from a payload is set with `textContent`, never
 * parsed as HTML: layer names like `<img onerror=…>` show as text.
 */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== undefined) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A `<button>` with a label and a click handler. */
export function button(className: string, label: string, onClick: () => void): HTMLButtonElement {
  const node = element('button', `jp-convlab-button ${className}`, label);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}
