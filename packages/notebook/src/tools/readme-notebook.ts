import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The code cells of a Markdown document's notebook code: every fenced block whose info string
 * starts with `ts` or `typescript`, in order. Each block becomes one cell, as a reader would paste it.
 * @example readmeCells('```ts\nconst a = 1;\n```') // ['const a = 1;']
 */
export function readmeCells(markdown: string): string[] {
  const cells: string[] = [];
  const fence = /^```(ts|typescript)\b[^\n]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) cells.push(match[2]!.replace(/\n$/, ''));
  return cells;
}

/** nbformat 4 cell source: lines with their newlines. */
function lines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line)).filter((line) => line !== '');
}

/** A tslab notebook (nbformat 4.5) of `cells`, after a Markdown cell naming where they come from. */
export function notebookOf(title: string, cells: readonly string[]): object {
  return {
    cells: [
      { cell_type: 'markdown', id: 'source', metadata: {}, source: lines(title) },
      ...cells.map((source, i) => ({ cell_type: 'code', execution_count: null, id: `block${i + 1}`, metadata: {}, outputs: [], source: lines(source) })),
    ],
    metadata: {
      kernelspec: { display_name: 'TypeScript (convlab)', language: 'typescript', name: 'tslab' },
      language_info: { codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true }, file_extension: '.ts', mimetype: 'text/typescript', name: 'typescript', version: '3.7.2' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/**
 * Writes the README's notebook code (see {@link readmeCells}) as `README.ipynb` in `dir` and returns
 * its path. `dir` must be inside the repository so that tslab finds `@convlab/*` in node_modules.
 */
export function writeReadmeNotebook(repoRoot: string, dir: string): string {
  const cells = readmeCells(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
  if (cells.length === 0) throw new Error('README.md has no ```ts blocks of notebook code');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'README.ipynb');
  const title = "# The README's notebook code\n\nGenerated from the ```ts blocks of README.md by `npm run notebooks`; edit README.md, not this file.";
  writeFileSync(path, `${JSON.stringify(notebookOf(title, cells), null, 1)}\n`);
  return path;
}
