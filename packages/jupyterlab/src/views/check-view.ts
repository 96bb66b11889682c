import type { CheckData } from '@convlab/display';
import { element } from '../dom.js';
import { clipText, RENDER_LIMITS } from '../render-limits.js';
import type { View } from './view.js';

/** An exercise check as a badge: ✓/✗, the check's name, computed and expected values, the message. */
export class CheckView implements View<CheckData> {
  readonly node = element('div', 'jp-convlab-check');

  render(data: CheckData): Promise<void> {
    this.node.classList.toggle('jp-convlab-check-passed', data.passed);
    this.node.classList.toggle('jp-convlab-check-failed', !data.passed);
    this.node.setAttribute('role', 'status');
    const icon = element('span', 'jp-convlab-check-icon', data.passed ? '✓' : '✗');
    icon.setAttribute('aria-hidden', 'true');
    const tolerance = data.tolerance === null ? 'exact comparison' : `tolerance ±${data.tolerance}`;
    const title = element('div', 'jp-convlab-check-title');
    title.append(icon, element('span', 'jp-convlab-check-name', clipText(data.name)), element('span', 'jp-convlab-check-verdict', data.passed ? 'passed' : 'failed'));
    this.node.replaceChildren(
      title,
      element('div', 'jp-convlab-check-values', `computed ${clipText(data.computed)} · expected ${clipText(data.expected)} (${tolerance})`),
      element('div', 'jp-convlab-check-message', clipText(data.message, 10 * RENDER_LIMITS.textChars)),
    );
    return Promise.resolve();
  }

  resize(): void {}

  dispose(): void {}
}
