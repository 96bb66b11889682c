import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConvlabError, saveSafetensors, Tensor } from '../../src/index.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-save-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const tensors = (): [string, Tensor][] => [['w', Tensor.from([1, 2, 3])]];

/** The id of a process that has exited (so no process has it for a while). */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('saveSafetensors writes atomically and safely', () => {
  it('never writes through a symlink planted at the old predictable temporary name', () => {
    const dir = tempDir();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const path = join(dir, 'w.safetensors');
    symlinkSync(victim, `${path}.${process.pid}.tmp`);
    saveSafetensors(path, tensors());
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(statSync(path).size).toBeGreaterThan(8);
  });

  it("keeps the target's permissions", () => {
    const dir = tempDir();
    const path = join(dir, 'w.safetensors');
    writeFileSync(path, 'old');
    chmodSync(path, 0o640);
    saveSafetensors(path, tensors());
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('names the target, not a temporary file, when saving fails, and leaves nothing behind', () => {
    const dir = tempDir();
    const path = join(dir, 'w.safetensors');
    mkdirSync(path);
    let error: unknown = null;
    try {
      saveSafetensors(path, tensors());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConvlabError);
    expect((error as Error).message).toMatch(new RegExp(`^saveSafetensors: cannot write ${path.replace(/[.]/g, '\\.')}: .*(directory|EISDIR)`));
    expect((error as Error).message).not.toContain('.tmp');
    expect(readdirSync(dir)).toEqual(['w.safetensors']);
  });

  it('removes stale temporary files of its own pattern left by dead processes, and no others', () => {
    const dir = tempDir();
    const path = join(dir, 'w.safetensors');
    const stale = `.w.safetensors.${deadPid()}.0123456789abcdef.convlab-tmp`;
    const live = `.w.safetensors.${process.ppid}.fedcba9876543210.convlab-tmp`;
    for (const name of [stale, live, 'w.safetensors.bak', '.other.safetensors.1.0123456789abcdef.convlab-tmp']) writeFileSync(join(dir, name), 'x');
    saveSafetensors(path, tensors());
    expect(readdirSync(dir).sort()).toEqual([live, '.other.safetensors.1.0123456789abcdef.convlab-tmp', 'w.safetensors', 'w.safetensors.bak'].sort());
  });
});
