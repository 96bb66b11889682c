import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { datasetSearchPath, fashionMnist, findDataset, SYSTEM_DATASET_DIRS } from '../../src/index.js';
import { tempDir, writeTinyFashion } from './idx-files.js';

const STEMS = ['a-images', 'a-labels'];

describe('datasetSearchPath', () => {
  it('orders CONVLAB_DATA roots, the XDG cache folder, then the system folders', () => {
    const env = { CONVLAB_DATA: '/data/one::/data/two', XDG_CACHE_HOME: '/xdg', HOME: '/home/ada' };
    expect(datasetSearchPath('mnist', { env })).toEqual([
      { dir: '/data/one/mnist', source: 'CONVLAB_DATA' },
      { dir: '/data/two/mnist', source: 'CONVLAB_DATA' },
      { dir: '/xdg/convlab/mnist', source: 'cache' },
      { dir: '/usr/local/share/datasets/mnist', source: 'system' },
      { dir: '/usr/share/datasets/mnist', source: 'system' },
    ]);
    expect(SYSTEM_DATASET_DIRS).toEqual(['/usr/local/share/datasets', '/usr/share/datasets']);
  });

  it('falls back to ~/.cache/convlab when XDG_CACHE_HOME is unset or empty', () => {
    const dirs = (env: Record<string, string>): string[] => datasetSearchPath('m', { env, systemDirs: ['/sys'] }).map((p) => p.dir);
    expect(dirs({ HOME: '/home/ada' })).toEqual(['/home/ada/.cache/convlab/m', '/sys/m']);
    expect(dirs({ HOME: '/home/ada', XDG_CACHE_HOME: '', CONVLAB_DATA: '' })).toEqual(['/home/ada/.cache/convlab/m', '/sys/m']);
  });

  it('looks only in an explicit folder when one is given', () => {
    expect(datasetSearchPath('m', { dir: '/mine', env: { CONVLAB_DATA: '/data' } })).toEqual([{ dir: '/mine', source: 'option' }]);
  });
});

describe('findDataset', () => {
  it('takes the first folder that holds every file, gzipped or not', () => {
    const root = tempDir();
    const [env1, env2, cache] = ['env1', 'env2', 'cache'].map((d) => join(root, d));
    mkdirSync(join(env1, 'a'), { recursive: true });
    mkdirSync(join(env2, 'a'), { recursive: true });
    mkdirSync(join(cache, 'convlab', 'a'), { recursive: true });
    const touch = (dir: string, file: string): void => writeFileSync(join(dir, file), '');
    touch(join(env1, 'a'), 'a-images');
    touch(join(env2, 'a'), 'a-images.gz');
    touch(join(env2, 'a'), 'a-labels');
    touch(join(cache, 'convlab', 'a'), 'a-images');
    touch(join(cache, 'convlab', 'a'), 'a-labels');
    const env = { CONVLAB_DATA: `${env1}:${env2}`, XDG_CACHE_HOME: cache };
    expect(findDataset('t', 'a', STEMS, '', { env, systemDirs: [] })).toEqual({
      dir: join(env2, 'a'),
      files: [join(env2, 'a', 'a-images.gz'), join(env2, 'a', 'a-labels')],
    });
    expect(findDataset('t', 'a', STEMS, '', { env: { XDG_CACHE_HOME: cache }, systemDirs: [] }).dir).toBe(join(cache, 'convlab', 'a'));
  });

  it('lists every folder looked in, what each lacks, then the hint', () => {
    const root = tempDir();
    mkdirSync(join(root, 'env', 'a'), { recursive: true });
    writeFileSync(join(root, 'env', 'a', 'a-labels.gz'), '');
    const env = { CONVLAB_DATA: join(root, 'env'), HOME: join(root, 'home') };
    expect(() => findDataset('loadA', 'a', STEMS, 'Get it from somewhere.', { env, systemDirs: [join(root, 'sys')] })).toThrow(
      "loadA: no folder holds a's files a-images, a-labels (.gz or not). Looked in:\n" +
        `  ${join(root, 'env', 'a')} (CONVLAB_DATA): lacks a-images\n` +
        `  ${join(root, 'home', '.cache', 'convlab', 'a')} (cache): no such folder\n` +
        `  ${join(root, 'sys', 'a')} (system): no such folder\n` +
        'Get it from somewhere.',
    );
  });

  it('fashionMnist reads from CONVLAB_DATA and says which folder it used', () => {
    const root = tempDir();
    mkdirSync(join(root, 'fashion-mnist'));
    writeTinyFashion(join(root, 'fashion-mnist'), 4, 2, true);
    vi.stubEnv('CONVLAB_DATA', root);
    onTestFinished(() => vi.unstubAllEnvs());
    const data = fashionMnist();
    expect([data.dir, data.train.length, data.test.length]).toEqual([join(root, 'fashion-mnist'), 4, 2]);
  });
});
