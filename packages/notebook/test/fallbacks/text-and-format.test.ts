import { describe, expect, it } from 'vitest';
import { formatDuration } from '@convlab/core';
import { formatFloatPlain, formatInteger, formatReceptiveFieldCell, formatSi } from '@convlab/display';
import { escapeHtml } from '../../src/fallbacks/html.js';
import { niceTicks } from '../../src/fallbacks/svg-chart.js';
import { textTable } from '../../src/fallbacks/text-table.js';

describe('textTable', () => {
  it('pads columns, aligns numbers right and rules off header and footer', () => {
    expect(textTable(['Layer', 'Params'], ['left', 'right'], [['0 Conv2d', '156'], ['1 ReLU', '0']], [['Total', '156']])).toBe([
      'Layer     Params',
      '────────────────',
      '0 Conv2d     156',
      '1 ReLU         0',
      '────────────────',
      'Total        156',
    ].join('\n'));
  });
});

describe('formatting', () => {
  it('writes counts, SI sizes, floats, fields and durations', () => {
    expect(formatInteger(138357544)).toBe('138,357,544');
    expect(formatSi(15470264320)).toBe('15.47 G');
    expect(formatSi(117600)).toBe('117.6 K');
    expect(formatSi(42)).toBe('42');
    expect(formatFloatPlain(0.123456)).toBe('0.1235');
    expect(formatFloatPlain(123456)).toBe('1.235e+5');
    expect(formatFloatPlain('NaN')).toBe('NaN');
    expect(formatFloatPlain(null)).toBe('—');
    expect(formatReceptiveFieldCell({ size: [5, 5], stride: [2, 2], padding: [0, 0] }, false)).toBe('5×5 (jump 2)');
    expect(formatReceptiveFieldCell(null, true)).toBe('whole input');
    expect(formatReceptiveFieldCell(null, false)).toBe('—');
    expect(formatDuration(187)).toBe('3m07s');
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<b a="1">'&'</b>`)).toBe('&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;');
  });

  it('picks round chart ticks', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.31, 2.28)).toEqual([0.5, 1, 1.5, 2]);
    expect(niceTicks(0, 120)).toEqual([0, 50, 100]);
  });
});
