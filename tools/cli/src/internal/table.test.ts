import { describe, expect, it } from 'vitest';
import { createColors, stripAnsi } from './colors.js';
import { formatFields, formatTable } from './table.js';

describe('formatTable', () => {
  it('aligns columns by visible width, colored or not', () => {
    const c = createColors(true);
    const text = formatTable(
      [
        { name: 'web-app', n: 12 },
        { name: 'a', n: 3 },
      ],
      [
        { header: 'NAME', cell: (r) => c.bold(r.name) },
        { header: 'COUNT', cell: (r) => String(r.n), align: 'right' },
      ],
    );
    expect(stripAnsi(text).split('\n')).toEqual(['NAME     COUNT', 'web-app     12', 'a            3', '']);
  });

  it('removes control characters from cells but keeps color escapes', () => {
    const text = formatTable([{ v: 'evil\u001b[2Jtag\u0007\nnext' }], [{ header: 'V', cell: (r) => `\u001b[1m${r.v}\u001b[22m` }]);
    expect(text).toContain('\u001b[1mevil[2Jtag next\u001b[22m');
    expect(text).not.toContain('\u001b[2J');
    expect(text).not.toContain('\u0007');
  });
});

describe('formatFields', () => {
  it('aligns keys, drops undefined values and indents continuation lines', () => {
    expect(
      formatFields([
        ['Name', 'x'],
        ['Missing', undefined],
        ['About', 'line 1\nline 2'],
      ]),
    ).toBe('Name:   x\nAbout:  line 1\n        line 2\n');
  });
});
