import { describe, expect, it } from 'vitest';
import { checkFirmwareSource } from './build';
import { formatSizeReport, GENERATED, sizeReport } from './size-report';
import type { RawSourceMap } from './source-maps';

describe('where the bundle bytes go', () => {
  it('sorts every byte of a hand-mapped file into modules and kinds of text', () => {
    const code = 'var a={name:"x",get size(){return a.name.length}};print(a, 12);';
    // Columns 0-20 come from one.ts, the rest from two.ts (base64 VLQ: "AAAA" at column 0, "qBCAA" at column 21 of source 1).
    const map: RawSourceMap = { version: 3, sources: ['../firmware/one.ts', '../firmware/two.ts'], names: [], mappings: 'AAAA,qBCAA' };
    const report = sizeReport(code, map);
    expect(report.bytes).toBe(code.length);
    expect(report.byModule).toEqual({ 'firmware/one.ts': 21, 'firmware/two.ts': code.length - 21 });
    expect(Object.values(report.byCategory).reduce((sum, bytes) => sum + bytes, 0)).toBe(code.length);
    expect(report.properties).toEqual([
      { text: 'name', count: 2, bytes: 8 },
      { text: 'length', count: 1, bytes: 6 },
      { text: 'size', count: 1, bytes: 4 },
    ]);
    expect(report.strings).toEqual([{ text: 'x', count: 1, bytes: 3 }]);
    expect(report.byCategory.number).toBe(2);
    expect(report.byCategory.identifier).toBe('a'.length * 3 + 'print'.length);
  });

  it('charges bytes no mapping covers to the build', () => {
    const report = sizeReport('var x=1;', { version: 3, sources: [], names: [], mappings: '' });
    expect(report.byModule).toEqual({ [GENERATED]: 8 });
  });

  it('reports a built program by its TypeScript modules', async () => {
    const result = await checkFirmwareSource(`print(JSON.stringify({ greeting: 'hello strap' }));\n`, { fileName: 'firmware/build/fixtures/sizes.ts' });
    const report = sizeReport(result.code, JSON.parse(result.map) as RawSourceMap);
    expect(Object.keys(report.byModule)).toContain('firmware/build/fixtures/sizes.ts');
    expect(report.strings.map((entry) => entry.text)).toContain('hello strap');
    const text = formatSizeReport(report, 3);
    expect(text).toMatch(/^\d+ bytes\n/);
    expect(text).toContain('firmware/build/fixtures/sizes.ts');
    expect(text).toContain('"hello strap" x1');
  });
});
