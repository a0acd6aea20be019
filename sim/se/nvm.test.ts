import { describe, expect, it } from 'vitest';
import { NonVolatileMemory, PowerCut, scopedStore } from './nvm';

const bytes = (...b: number[]) => Uint8Array.from(b);

function seeded(): NonVolatileMemory {
  const nvm = new NonVolatileMemory();
  nvm.transaction((tx) => {
    tx.put('atc', bytes(0, 1));
    tx.put('state', bytes(1));
    tx.put('log/1', bytes(9));
  });
  return nvm;
}

function snapshot(nvm: NonVolatileMemory): Record<string, string> {
  return Object.fromEntries(nvm.keys().map((k) => [k, Buffer.from(nvm.get(k)!).toString('hex')]));
}

/** The transaction under test: two updates, one insert, one delete. */
function multiRecord(nvm: NonVolatileMemory): void {
  nvm.transaction((tx) => {
    tx.put('atc', bytes(0, 2));
    tx.put('state', bytes(2));
    tx.put('log/2', bytes(7, 7));
    tx.delete('log/1');
  });
}

describe('non-volatile memory', () => {
  it('reads see the transaction’s own writes, and everything lands at its end', () => {
    const nvm = seeded();
    nvm.transaction((tx) => {
      tx.put('atc', bytes(0, 5));
      expect(tx.get('atc')).toEqual(bytes(0, 5));
      expect(nvm.get('atc')).toEqual(bytes(0, 5));
      tx.delete('state');
      expect(tx.get('state')).toBeUndefined();
    });
    expect(snapshot(nvm)).toEqual({ atc: '0005', 'log/1': '09' });
  });

  it('an exception inside the transaction lands nothing', () => {
    const nvm = seeded();
    const before = snapshot(nvm);
    expect(() => nvm.transaction((tx) => {
      tx.put('atc', bytes(9, 9));
      throw new Error('applet bug');
    })).toThrow('applet bug');
    expect(snapshot(nvm)).toEqual(before);
  });

  it('a power cut at every write of a multi-record transaction leaves the old records or the new ones, never a mix', () => {
    const reference = seeded();
    const old = snapshot(reference);
    const start = reference.writeCount;
    multiRecord(reference);
    const fresh = snapshot(reference);
    const total = reference.writeCount - start;
    expect(total).toBeGreaterThanOrEqual(8); // 4 journal cells, mark, 4 records, mark erased

    const outcomes: string[] = [];
    for (let n = 0; n < total; n++) {
      const nvm = seeded();
      nvm.cutPowerAfterWrites(n);
      expect(() => multiRecord(nvm)).toThrow(PowerCut);
      expect(nvm.powerLost).toBe(true);
      expect(() => nvm.transaction(() => undefined)).toThrow(PowerCut);
      nvm.recover();
      const after = snapshot(nvm);
      if (JSON.stringify(after) === JSON.stringify(old)) outcomes.push('old');
      else {
        expect(after).toEqual(fresh);
        outcomes.push('new');
      }
    }
    // Cuts before the commit mark give the old state, from the mark on the new one.
    expect(outcomes.indexOf('new')).toBe(5);
    expect(outcomes.slice(0, 5).every((o) => o === 'old')).toBe(true);
    expect(outcomes.slice(5).every((o) => o === 'new')).toBe(true);
  });

  it('a single-record transaction is one write, atomic by itself', () => {
    const nvm = seeded();
    const start = nvm.writeCount;
    nvm.transaction((tx) => tx.put('atc', bytes(0, 3)));
    expect(nvm.writeCount - start).toBe(1);
    nvm.cutPowerAfterWrites(0);
    expect(() => nvm.transaction((tx) => tx.put('atc', bytes(0, 4)))).toThrow(PowerCut);
    nvm.recover();
    expect(nvm.get('atc')).toEqual(bytes(0, 3));
  });

  it('a scoped store keeps applets’ records apart', () => {
    const nvm = new NonVolatileMemory();
    const a = scopedStore(nvm, 'A0000000031010/');
    const b = scopedStore(nvm, 'A0000000041010/');
    a.transaction((tx) => tx.put('atc', bytes(1)));
    b.transaction((tx) => tx.put('atc', bytes(2)));
    expect(a.get('atc')).toEqual(bytes(1));
    expect(b.get('atc')).toEqual(bytes(2));
    expect(nvm.keys()).toEqual(['A0000000031010/atc', 'A0000000041010/atc']);
  });

  it('refuses the journal’s reserved keys', () => {
    const nvm = new NonVolatileMemory();
    expect(() => nvm.transaction((tx) => tx.put('\u0000journal-commit', bytes(1)))).toThrow(RangeError);
    expect(() => nvm.transaction((tx) => tx.put('', bytes(1)))).toThrow(RangeError);
  });
});
