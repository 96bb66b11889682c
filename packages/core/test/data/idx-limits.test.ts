import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { IDX_MAX_BYTES, readIdxFile } from '../../src/index.js';
import { idxBytes, tempDir } from './idx-files.js';

/** An IDX header declaring `dims` (unsigned bytes), without data. */
function header(dims: number[]): Buffer {
  return Buffer.from(idxBytes(dims, []));
}

describe('readIdxFile on hostile files', () => {
  it('refuses a header declaring more than the limit before decompressing anything', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'huge.gz'), gzipSync(Buffer.concat([header([60_000, 4096, 4096]), Buffer.alloc(1000)])));
    expect(() => readIdxFile(join(dir, 'huge.gz'))).toThrow(
      `IDX file ${join(dir, 'huge.gz')}: dimensions 60000×4096×4096 declare 1,006,632,960,000 bytes of data, more than the limit of ${IDX_MAX_BYTES.toLocaleString('en-US')} bytes`,
    );
    const raw = join(dir, 'huge');
    writeFileSync(raw, header([1 << 30, 2]));
    expect(() => readIdxFile(raw)).toThrow(`IDX file ${raw}: dimensions 1073741824×2 declare 2,147,483,648 bytes of data, more than the limit`);
  });

  it('stops decompressing a gzip bomb at the size its header declares', () => {
    const dir = tempDir();
    // 784 bytes declared, 64 MiB of zeros behind them: ~65 KB compressed.
    const bomb = gzipSync(Buffer.concat([header([1, 28, 28]), Buffer.alloc(64 << 20)]));
    writeFileSync(join(dir, 'bomb.gz'), bomb);
    const before = process.memoryUsage().arrayBuffers;
    expect(() => readIdxFile(join(dir, 'bomb.gz'))).toThrow(`IDX file ${join(dir, 'bomb.gz')}: decompresses to more than the 800 bytes its header declares (1×28×28)`);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
  });

  it('names the file when it cannot be read', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'folder'));
    expect(() => readIdxFile(join(dir, 'folder'))).toThrow(`IDX file ${join(dir, 'folder')}: cannot read it: EISDIR: illegal operation on a directory`);
    expect(() => readIdxFile(join(dir, 'missing'))).toThrow(`IDX file ${join(dir, 'missing')}: cannot read it: ENOENT: no such file or directory`);
  });
});
