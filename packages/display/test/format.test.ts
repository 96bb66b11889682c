import { describe, expect, it } from 'vitest';
import { formatBytes, formatClock, formatDims, formatFloat, formatInteger, formatReceptiveField, formatShare, formatSi } from '../src/format.js';

describe('format', () => {
  it('integers with thousands separators', () => {
    expect(formatInteger(61706)).toBe('61,706');
    expect(formatInteger(138357544)).toBe('138,357,544');
    expect(formatInteger(0)).toBe('0');
  });

  it('counts with a unit and four significant digits', () => {
    expect(formatSi(999)).toBe('999');
    expect(formatSi(117600)).toBe('117.6 K');
    expect(formatSi(416520)).toBe('416.5 K');
    expect(formatSi(15470264320)).toBe('15.47 G');
    expect(formatSi(2_000_000)).toBe('2 M');
  });

  it('shapes, shares and receptive fields', () => {
    expect(formatDims([1, 6, 28, 28])).toBe('1×6×28×28');
    expect(formatDims([])).toBe('scalar');
    expect(formatShare(0.7798)).toBe('78.0%');
    expect(formatShare(0.0001)).toBe('<0.1%');
    expect(formatShare(0)).toBe('0.0%');
    expect(formatReceptiveField({ size: [14, 14], stride: [2, 2], padding: [0, 0] })).toBe('14×14, jump 2');
    expect(formatReceptiveField({ size: [3, 5], stride: [1, 2], padding: [1, 2] })).toBe('3×5, jump 1×2');
  });

  it('byte counts in binary units with one decimal', () => {
    expect([0, 40, 1023, 1024, 1536, 246_824, 48 * 1024 * 1024, 3 * 1024 ** 3].map(formatBytes))
      .toEqual(['0 B', '40 B', '1023 B', '1.0 KiB', '1.5 KiB', '241.0 KiB', '48.0 MiB', '3.0 GiB']);
  });

  it('floats, including the non-finite spellings of the schema', () => {
    expect(formatFloat(2.302585)).toBe('2.303');
    expect(formatFloat(-0.08624)).toBe('-0.08624');
    expect(formatFloat(123456)).toBe('1.235e+5');
    expect(formatFloat(0.00001234)).toBe('1.234e-5');
    expect(formatFloat(0)).toBe('0');
    expect(formatFloat('NaN')).toBe('NaN');
    expect(formatFloat('Infinity')).toBe('+∞');
    expect(formatFloat('-Infinity')).toBe('−∞');
  });

  it('durations as m:ss or h:mm:ss', () => {
    expect(formatClock(9.4)).toBe('0:09');
    expect(formatClock(72.4)).toBe('1:12');
    expect(formatClock(3723)).toBe('1:02:03');
  });
});
