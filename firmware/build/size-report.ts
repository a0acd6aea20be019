import * as acorn from 'acorn';
import { TraceMap, eachMapping } from '@jridgewell/trace-mapping';
import type { RawSourceMap } from './source-maps';

// Where the bundle's bytes go (`npm run build:firmware -- --sizes`): each
// byte of the minified file is charged to the TypeScript module the source
// map leads it back to, and to what kind of text it is. Property names are
// the bytes minifying cannot shorten (only private-names.ts's), strings are
// kept verbatim, identifiers are already one or two letters.

export type Category = 'string' | 'property' | 'identifier' | 'keyword' | 'number' | 'regexp' | 'punctuation';

export interface SizeReport {
  bytes: number;
  /** Bytes per source module (root-relative as the map names it; `(generated)` for the build's own helpers). */
  byModule: Record<string, number>;
  byCategory: Record<Category, number>;
  /** Property names by the bytes they take, all occurrences (`.name` and object keys). */
  properties: NameTally[];
  /** String literals by the bytes they take, all occurrences, quotes included. */
  strings: NameTally[];
}

export interface NameTally {
  text: string;
  count: number;
  bytes: number;
}

export const GENERATED = '(generated)';

export function sizeReport(code: string, map: RawSourceMap): SizeReport {
  const owner = moduleOfEachByte(code, map);
  const byModule: Record<string, number> = {};
  for (const name of owner) byModule[name] = (byModule[name] ?? 0) + 1;
  const byCategory: Record<Category, number> = { string: 0, property: 0, identifier: 0, keyword: 0, number: 0, regexp: 0, punctuation: 0 };
  const properties = new Map<string, NameTally>();
  const strings = new Map<string, NameTally>();
  const tally = (table: Map<string, NameTally>, text: string, bytes: number): void => {
    const entry = table.get(text) ?? { text, count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += bytes;
    table.set(text, entry);
  };
  let previous: acorn.Token | null = null;
  let counted = 0;
  for (const token of acorn.tokenizer(code, { ecmaVersion: 'latest' })) {
    const length = token.end - token.start;
    const category = categoryOf(token, previous, code);
    byCategory[category] += length;
    counted += length;
    if (category === 'property') tally(properties, propertyText(token, code), length);
    if (category === 'string') tally(strings, String(tokenValue(token)), length);
    previous = token;
  }
  // Whitespace and newlines between tokens.
  byCategory.punctuation += Buffer.byteLength(code) - counted;
  const sorted = (table: Map<string, NameTally>): NameTally[] => [...table.values()].sort((a, b) => b.bytes - a.bytes || a.text.localeCompare(b.text));
  return { bytes: Buffer.byteLength(code), byModule, byCategory, properties: sorted(properties), strings: sorted(strings) };
}

/** The report as text: modules and categories with their share, then the costliest property names and strings. */
export function formatSizeReport(report: SizeReport, top = 25): string {
  const percent = (bytes: number): string => `${((bytes / report.bytes) * 100).toFixed(1)}%`.padStart(6);
  const row = (bytes: number, label: string): string => `${String(bytes).padStart(7)} ${percent(bytes)}  ${label}`;
  const lines = [`${report.bytes} bytes`, '', 'by module:'];
  for (const [name, bytes] of Object.entries(report.byModule).sort((a, b) => b[1] - a[1])) lines.push(row(bytes, name));
  lines.push('', 'by kind of text:');
  for (const [name, bytes] of Object.entries(report.byCategory).sort((a, b) => b[1] - a[1])) lines.push(row(bytes, name));
  lines.push('', `property names (top ${top}, all uses):`);
  for (const entry of report.properties.slice(0, top)) lines.push(row(entry.bytes, `${entry.text} x${entry.count}`));
  lines.push('', `strings (top ${top}, all uses):`);
  for (const entry of report.strings.slice(0, top)) lines.push(row(entry.bytes, `${JSON.stringify(entry.text)} x${entry.count}`));
  return `${lines.join('\n')}\n`;
}

/** The minified code is ASCII (minify.ts: ascii_only), so a character is a byte. */
function moduleOfEachByte(code: string, map: RawSourceMap): string[] {
  const owner = new Array<string>(code.length).fill(GENERATED);
  const lineStarts = [0];
  for (let index = 0; index < code.length; index++) if (code[index] === '\n') lineStarts.push(index + 1);
  const segments: { offset: number; source: string }[] = [];
  eachMapping(new TraceMap(map as ConstructorParameters<typeof TraceMap>[0]), (mapping) => {
    const offset = lineStarts[mapping.generatedLine - 1]! + mapping.generatedColumn;
    segments.push({ offset, source: mapping.source === null ? GENERATED : stripDotDots(mapping.source) });
  });
  segments.sort((a, b) => a.offset - b.offset);
  segments.forEach((segment, index) => {
    const end = segments[index + 1]?.offset ?? code.length;
    for (let offset = segment.offset; offset < end; offset++) owner[offset] = segment.source;
  });
  return owner;
}

function stripDotDots(source: string): string {
  return source.replace(/^(?:\.\.\/)+/, '');
}

function categoryOf(token: acorn.Token, previous: acorn.Token | null, code: string): Category {
  const type = token.type;
  if (type === acorn.tokTypes.string) return isObjectKey(token, previous, code) ? 'property' : 'string';
  if (type === acorn.tokTypes.num) return 'number';
  if (type === acorn.tokTypes.regexp) return 'regexp';
  if (type === acorn.tokTypes.name) {
    if (previous?.type === acorn.tokTypes.dot || isObjectKey(token, previous, code) || isAccessorKey(previous, code.slice(token.end, token.end + 1))) return 'property';
    // `get`/`set` opening an accessor in an object literal.
    if ((tokenValue(token) === 'get' || tokenValue(token) === 'set') && (previous?.type === acorn.tokTypes.braceL || previous?.type === acorn.tokTypes.comma) && /^\s*[A-Za-z_$]/.test(code.slice(token.end, token.end + 2))) return 'keyword';
    return 'identifier';
  }
  if (type.keyword !== undefined) return previous?.type === acorn.tokTypes.dot ? 'property' : 'keyword';
  return 'punctuation';
}

/** `{a:` or `,a:` : a key in an object literal (a `case x:` or `? a :` is preceded by neither). */
function isObjectKey(token: acorn.Token, previous: acorn.Token | null, code: string): boolean {
  if (previous === null || (previous.type !== acorn.tokTypes.braceL && previous.type !== acorn.tokTypes.comma)) return false;
  return code[token.end] === ':';
}

/** The name of a getter or setter in an object literal: `get name(`. */
function isAccessorKey(previous: acorn.Token | null, next: string): boolean {
  return previous?.type === acorn.tokTypes.name && (tokenValue(previous) === 'get' || tokenValue(previous) === 'set') && next === '(';
}

function propertyText(token: acorn.Token, code: string): string {
  return token.type === acorn.tokTypes.string ? String(tokenValue(token)) : code.slice(token.start, token.end);
}

/** acorn's tokens carry their value, which its types leave out. */
function tokenValue(token: acorn.Token): unknown {
  return (token as acorn.Token & { value: unknown }).value;
}
