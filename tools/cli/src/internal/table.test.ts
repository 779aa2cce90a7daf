import { fc, test } from '@fast-check/vitest';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { createColors, stripAnsi } from './colors.js';
import { formatFields, formatTable, loadTableSupport } from './table.js';

beforeAll(loadTableSupport);

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

describe('formatTable fitted to a terminal', () => {
  const rows = [
    { name: 'web-app', uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web-app', created: '2025-01-02 03:04 UTC' },
    { name: 'lambda-processor', uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/lambda-processor', created: '2025-01-02 03:04 UTC' },
  ];
  const columns = [
    { header: 'NAME', cell: (r: (typeof rows)[number]) => r.name },
    { header: 'URI', cell: (r: (typeof rows)[number]) => r.uri },
    { header: 'CREATED', cell: (r: (typeof rows)[number]) => r.created },
  ];

  it('without a width prints every value whole', () => {
    expect(formatTable(rows, columns)).toContain('123456789012.dkr.ecr.us-east-1.amazonaws.com/lambda-processor');
  });

  it('shortens the widest column first, ends cut values with an ellipsis, and never exceeds the width', () => {
    const lines = formatTable(rows, columns, { header: (t) => t, maxWidth: 70 })
      .trimEnd()
      .split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(70);
    expect(lines[0]).toMatch(/^NAME\s+URI\s+CREATED$/);
    expect(lines[2]).toContain('lambda-processor');
    expect(lines[2]).toContain('2025-01-02 03:04 UTC');
    expect(lines[2]).toMatch(/123456789012\.dkr\.ecr\S*…/);
  });

  it('keeps colors in a cut cell and counts wide characters twice', () => {
    const c = createColors(true);
    const text = formatTable([{ v: `${'x'.repeat(30)}` }, { v: '漢字漢字漢字漢字漢字漢字' }], [{ header: 'V', cell: (r) => c.red(r.v) }], {
      header: (t) => t,
      maxWidth: 10,
    });
    const [, first, second] = text.trimEnd().split('\n');
    expect(first).toContain('\u001b[31m');
    expect(stripAnsi(first!)).toBe(`${'x'.repeat(9)}…`);
    // Ten columns hold four wide characters and the ellipsis.
    expect(stripAnsi(second!)).toBe('漢字漢字…');
  });

  it('stops at each column minimum when the terminal is narrower than that', () => {
    const lines = formatTable(rows, columns, { header: (t) => t, maxWidth: 10 })
      .trimEnd()
      .split('\n');
    expect(lines[0]).toMatch(/^NAME\s+URI\s+CREATED$/);
    expect(lines[1]!.startsWith('web-a… ')).toBe(true);
    expect(lines[2]!.startsWith('lambd… ')).toBe(true);
  });

  test.prop([
    fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { minLength: 3, maxLength: 3 }), { maxLength: 6 }),
    fc.integer({ min: 30, max: 200 }),
  ])('every line fits whenever the column minimums do', (cells, maxWidth) => {
    const cols = ['A', 'BB', 'CCC'].map((header, i) => ({ header, cell: (r: string[]) => r[i]! }));
    // Minimums: max(header, 6) per column plus two gaps of two is 22, below every width tried.
    for (const line of formatTable(cells, cols, { header: (t) => t, maxWidth })
      .trimEnd()
      .split('\n')) {
      expect(stringWidth(line)).toBeLessThanOrEqual(maxWidth);
    }
  });
});
