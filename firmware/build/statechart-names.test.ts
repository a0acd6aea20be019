import { describe, expect, it } from 'vitest';
import { checkFirmwareSource } from './build';
import { REPOSITORY_ROOT } from './outputs';
import { runWithoutHoisting } from './run-without-hoisting';
import { API_FILES, renameableTableNames, renameNames, shortNamesFor, wordsOf } from './statechart-names';

const table = {
  file: 'firmware/statecharts/tables/lamp.table.ts',
  text: `export type LampAction = 'switchOn' | 'switchOff' | 'logState' | 'writeSettings';
export const lampTable = { id: 'lamp', e: 'PRESS RELEASE HOLD', a: ['switchOn', 'switchOff', 'logState', 'writeSettings', 'sendReport'], g: 'isDark', d: ['holdMs'], c: '{"dimmed":false}' };`,
};
const implementation = {
  file: 'firmware/ui/lamp.ts',
  text: `const actions: Record<LampAction, () => void> = {
  switchOn: () => pin.set(), switchOff: () => pin.reset(), logState: () => print('logState'), writeSettings: () => save({ dimmed: true }), sendReport: () => send('x'),
};
const guards = { isDark: () => true };
const delays = { holdMs: 500 };
lamp.send({ type: 'PRESS' });
const pressed = (event: { type: string }) => event.type === 'PRESS' || 'RELEASE' !== event.type;
switch (event.type) { case 'RELEASE': break; }
print('HOLD_ON');`,
};

describe('which statechart names the build renames', () => {
  it('takes the action, guard and delay names of the tables that nothing else spells', () => {
    expect(renameableTableNames([table, implementation], new Set(), new Set())).toEqual(['PRESS', 'RELEASE', 'holdMs', 'isDark', 'sendReport', 'switchOff', 'switchOn', 'writeSettings']);
  });

  it('takes an event type spelled only where events are made and told apart, not one part of another string', () => {
    const names = renameableTableNames([table, implementation], new Set(), new Set());
    expect(names).toContain('PRESS');
    expect(names).toContain('RELEASE');
    expect(names).not.toContain('HOLD');
  });

  it('keeps a name a firmware string spells, one the host uses, and one Espruino or the RPC has', () => {
    const names = renameableTableNames([table, implementation], new Set(['sendReport']), new Set(['switchOff']));
    expect(names).toEqual(['PRESS', 'RELEASE', 'holdMs', 'isDark', 'switchOn', 'writeSettings']);
    expect(names).not.toContain('logState');
  });

  it('reads the words of the host side and of the API files from the repository', () => {
    expect(wordsOf(REPOSITORY_ROOT).has('evaluate')).toBe(true);
    const api = wordsOf(REPOSITORY_ROOT, API_FILES);
    expect(api.has('setAdvertising')).toBe(true);
    expect(api.has('registerTask')).toBe(false);
  });
});

/** A table as the build writes it now: a function answering each field (../statecharts/table.ts MachineTable). */
const tableFunction = {
  file: 'firmware/statecharts/tables/fan.table.ts',
  text: `export const fanTable = (field: string) =>
  field === 'e' ? 'SPIN' :
  field === 'a' ? 'startFan stopFan' :
  field === 'k' ? 'fan on startFan' :
  field === 'g' ? 'isHot' :
  '{}';`,
};

describe('which statechart names the build renames', () => {
  it('reads the lists of a table that answers its fields; a name its state keys spell keeps its spelling', () => {
    expect(renameableTableNames([tableFunction], new Set(), new Set())).toEqual(['SPIN', 'isHot', 'stopFan']);
  });
});

describe('renaming them in the bundle', () => {
  const code = 'var t={a:["switchOn","holdMs"]},x={switchOn:function(){},"holdMs":5,q:1};x.switchOn();x["holdMs"];var switchOn=2;print("switchOn!");';

  it('picks one- or two-letter names no property or string word of the code has', () => {
    const renames = shortNamesFor(['holdMs', 'switchOn'], code, new Set(['b']));
    expect([...renames.keys()]).toEqual(['holdMs', 'switchOn']);
    for (const short of renames.values()) expect(['a', 'q', 'b', 'print', 'x', 't']).not.toContain(short);
    expect(renames.get('holdMs')).toMatch(/^[A-Za-z]{1,2}$/);
  });

  it('renames the strings equal to a name and the properties so named, never a variable or a longer string', () => {
    const out = renameNames(code, new Map([['switchOn', 'c'], ['holdMs', 'd']]), 'in.js').code;
    expect(out).toBe('var t={a:["c","d"]},x={c:function(){},"d":5,q:1};x.c();x["d"];var switchOn=2;print("switchOn!");');
  });

  it("renames the words of a table's joined lists (e, a, g, d), each word whole", () => {
    const joined = 'var t={e:"PRESS HOLD PRESSED",a:"glow dim",g:"isDark",d:"holdMs",k:"PRESS HOLD"};';
    const out = renameNames(joined, new Map([['PRESS', 'c'], ['isDark', 'd'], ['glow', 'f'], ['holdMs', 'h']]), 'in.js').code;
    expect(out).toBe('var t={e:"c HOLD PRESSED",a:"f dim",g:"d",d:"h",k:"PRESS HOLD"};');
  });

  it("renames the words of the lists a table function answers (e, a, g, d), not of its other fields", () => {
    const answering = 'var t=function(f){return f==="a"?"glow dim":f==="k"?"glow dim":f==="g"?"isDark":"{}"};';
    const out = renameNames(answering, new Map([['glow', 'f'], ['isDark', 'd']]), 'in.js').code;
    expect(out).toBe('var t=function(f){return f==="a"?"f dim":f==="k"?"glow dim":f==="g"?"d":"{}"};');
  });
});

describe('a built table and its implementations', () => {
  it('run the same with the names renamed', async () => {
    const source = `const fixtureTable = { id: 'fixture', a: ['glowLampFixture', 'dimLampFixture'], g: 'lampIsDarkFixture' };
const actions: { [name: string]: () => void } = { glowLampFixture: () => print('glow'), dimLampFixture: () => print('dim') };
const guards: { [name: string]: () => boolean } = { lampIsDarkFixture: () => true };
if (guards[fixtureTable.g.split(' ')[0]!]!()) fixtureTable.a.forEach((name) => actions[name]!());
`;
    const result = await checkFirmwareSource(source, { fileName: 'firmware/statecharts/tables/lamp-fixture.table.ts' });
    expect(result.problems).toEqual([]);
    expect(result.code).not.toMatch(/LampFixture|lampIsDark/);
    expect(runWithoutHoisting(result.code)).toEqual(['glow', 'dim']);
  });
});

describe('code that is not ES5', () => {
  it('gets no renames and stays as it is (the output check reports it)', () => {
    expect(shortNamesFor(['switchOn'], 'var n = 1n;', new Set()).size).toBe(0);
    expect(renameNames('var n = 1n;', new Map([['n', 'm']]), 'in.js').code).toBe('var n = 1n;');
  });
});
