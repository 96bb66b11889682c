// A plugin compiled into convlab's JupyterLab: the launcher (the landing page) gets a
// "convlab notebooks" section with one card per notebook in the server's root folder and one for
// its README.md (opened as rendered Markdown).

import { ILauncher } from '@jupyterlab/launcher';
import { markdownIcon, notebookIcon } from '@jupyterlab/ui-components';

const CATEGORY = 'convlab notebooks';
const OPEN = 'convlab:open-notebook';

/** "04-receptive-fields.ipynb" → "04 · Receptive fields"; other names lose only the extension. */
export function cardLabel(name) {
  const stem = name.replace(/\.(ipynb|md)$/, '');
  const match = /^(\d+)-(.+)$/.exec(stem);
  if (match === null) return stem;
  const words = match[2].replace(/-/g, ' ');
  return `${match[1]} · ${words[0].toUpperCase()}${words.slice(1)}`;
}

const plugin = {
  id: '@convlab/jupyterlab-app:notebooks-launcher',
  description: 'Adds the convlab notebooks of the root folder to the launcher.',
  autoStart: true,
  requires: [ILauncher],
  activate: (app, launcher) => {
    app.commands.addCommand(OPEN, {
      label: (args) => args.label ?? 'Open',
      caption: (args) => `Open ${args.path ?? ''}`,
      icon: (args) => (String(args.path ?? '').endsWith('.md') ? markdownIcon : notebookIcon),
      execute: (args) => {
        const path = String(args.path);
        const factory = path.endsWith('.md') ? 'Markdown Preview' : undefined;
        return app.commands.execute('docmanager:open', { path, factory });
      },
    });
    void app.serviceManager.contents.get('', { content: true }).then((root) => {
      const files = root.content
        .filter((item) => item.type === 'notebook' || item.name === 'README.md')
        .map((item) => item.name)
        .sort((a, b) => (a === 'README.md' ? -1 : b === 'README.md' ? 1 : a.localeCompare(b)));
      files.forEach((name, rank) => {
        const label = name === 'README.md' ? 'Read me first' : cardLabel(name);
        launcher.add({ command: OPEN, args: { path: name, label }, category: CATEGORY, rank });
      });
    }, (reason) => console.warn(`convlab: could not list the notebooks for the launcher: ${reason}`));
  },
};

export default plugin;
