import { fail } from '../errors.js';
import { requireNodeModule } from '../platform.js';

/**
 * Folders that hold datasets system-wide, one sub-folder per dataset, searched last. Debian's
 * `dataset-*` packages install into `/usr/share/datasets/<name>` (for example
 * `sudo apt-get install dataset-fashion-mnist`); `/usr/local/share/datasets` is for local installs.
 */
export const SYSTEM_DATASET_DIRS: readonly string[] = ['/usr/local/share/datasets', '/usr/share/datasets'];

/** Where to look for a dataset's files, and what the search reads from the environment. */
export interface DatasetSearchOptions {
  /** The one folder that holds the files; when given, the only place looked in. */
  readonly dir?: string;
  /** Environment variables (`CONVLAB_DATA`, `XDG_CACHE_HOME`, `HOME`); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Folders searched after the environment's; default {@link SYSTEM_DATASET_DIRS}. */
  readonly systemDirs?: readonly string[];
}

/** One folder of the search path and why it is on it. */
export interface DatasetPlace {
  readonly dir: string;
  /** `option`, `CONVLAB_DATA`, `cache` (the user cache folder) or `system`. */
  readonly source: 'option' | 'CONVLAB_DATA' | 'cache' | 'system';
}

function processEnv(): Readonly<Record<string, string | undefined>> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/**
 * The folders a dataset named `name` is looked for in, in order:
 * 1. `options.dir`, alone, when given (the `--data-dir` of `convlab train`);
 * 2. `<root>/<name>` for each root of `CONVLAB_DATA` (a list separated like `PATH`);
 * 3. the user cache folder `$XDG_CACHE_HOME/convlab/<name>`, or `~/.cache/convlab/<name>` when
 *    `XDG_CACHE_HOME` is unset;
 * 4. `<dir>/<name>` for each of `options.systemDirs` (default {@link SYSTEM_DATASET_DIRS}).
 * @example datasetSearchPath('fashion-mnist', { env: { HOME: '/home/ada' } })
 *   // ~/.cache/convlab/fashion-mnist, /usr/local/share/datasets/fashion-mnist, /usr/share/datasets/fashion-mnist
 */
export function datasetSearchPath(name: string, options: DatasetSearchOptions = {}): DatasetPlace[] {
  if (options.dir !== undefined) return [{ dir: options.dir, source: 'option' }];
  const { delimiter, join } = requireNodeModule('node:path', 'datasetSearchPath');
  const env = options.env ?? processEnv();
  const places: DatasetPlace[] = [];
  for (const root of (env['CONVLAB_DATA'] ?? '').split(delimiter)) {
    if (root !== '') places.push({ dir: join(root, name), source: 'CONVLAB_DATA' });
  }
  const xdg = env['XDG_CACHE_HOME'];
  const home = env['HOME'] ?? requireNodeModule('node:os', 'datasetSearchPath').homedir();
  const cache = xdg !== undefined && xdg !== '' ? join(xdg, 'convlab') : join(home, '.cache', 'convlab');
  places.push({ dir: join(cache, name), source: 'cache' });
  for (const root of options.systemDirs ?? SYSTEM_DATASET_DIRS) places.push({ dir: join(root, name), source: 'system' });
  return places;
}

/** A dataset found on the search path: its folder and one path per requested file, in order. */
export interface FoundDataset {
  readonly dir: string;
  readonly files: readonly string[];
}

/**
 * Finds the first folder of {@link datasetSearchPath} that holds every one of `stems`, each either
 * gzipped (`<stem>.gz`, preferred) or not. Throws, naming `caller`, every folder looked in and
 * what each lacked, followed by `hint` (how to get the dataset), when none does.
 */
export function findDataset(
  caller: string, name: string, stems: readonly string[], hint: string, options: DatasetSearchOptions = {},
): FoundDataset {
  const { existsSync } = requireNodeModule('node:fs', caller);
  const { join } = requireNodeModule('node:path', caller);
  const places = datasetSearchPath(name, options);
  const looked: string[] = [];
  for (const { dir, source } of places) {
    const files = stems.map((stem) => [`${stem}.gz`, stem].map((f) => join(dir, f)).find((f) => existsSync(f)) ?? null);
    if (files.every((f) => f !== null)) return { dir, files: files as string[] };
    const lacks = existsSync(dir) ? `lacks ${stems.filter((_, i) => files[i] === null).join(', ')}` : 'no such folder';
    looked.push(`${dir} (${source}): ${lacks}`);
  }
  return fail(caller, `no folder holds ${name}'s files ${stems.join(', ')} (.gz or not). Looked in:\n  ${looked.join('\n  ')}\n${hint}`);
}
