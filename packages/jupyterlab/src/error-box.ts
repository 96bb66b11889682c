import { element } from './dom.js';

/** How many problems an error box lists before summarizing the rest. */
export const MAX_LISTED_ERRORS = 10;

/** A readable error inside the output: a title and the first problems found, as plain text. */
export function errorBox(title: string, errors: readonly string[]): HTMLElement {
  const box = element('div', 'jp-convlab-error');
  box.setAttribute('role', 'alert');
  box.append(element('div', 'jp-convlab-error-title', title));
  const list = element('ul', 'jp-convlab-error-list');
  for (const error of errors.slice(0, MAX_LISTED_ERRORS)) list.append(element('li', undefined, error));
  if (errors.length > MAX_LISTED_ERRORS) list.append(element('li', 'jp-convlab-error-more', `… and ${errors.length - MAX_LISTED_ERRORS} more`));
  box.append(list);
  return box;
}
