import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventStream } from '../console/event-stream';
import { hapticMotor } from '../drivers/haptic-motor';
import { FakeClock, withGlobalTimers } from '../statecharts/host/testing/fake-clock';
import { startPayments, type PaymentPorts } from './payment-session';

// The tap as the payment session runs it from the NFC controller's
// notifications (the NCI driver's decoded events), on Espruino's globals
// stubbed here: what the LEDs and motor do and when, what the scheduler is
// asked, what is printed, emitted and kept. (The same firmware on the virtual
// board, with the real controller, SE, terminal and power model:
// sim/scenario/strap-payments.test.ts.)

afterEach(() => {
  vi.unstubAllGlobals();
});

interface Options {
  /** The scheduler's answer to each tap's task: '' (it runs), 'brownout', 'off'. */
  refusal?: string;
  /** The brownout guard's answer for the motor. */
  motorSafe?: boolean;
}

function startStrap(options: Options = {}) {
  const clock = new FakeClock();
  const log: string[] = [];
  const at = (text: string) => log.push(`${clock.nowMs} ${text}`);
  const pin = (name: string) => ({
    name,
    set: () => at(`${name} on`),
    reset: () => at(`${name} off`),
    write: (on: boolean) => at(`${name} ${on ? 'on' : 'off'}`),
  });
  vi.stubGlobal('LED1', pin('LED1'));
  vi.stubGlobal('LED2', pin('LED2'));
  vi.stubGlobal('LED3', pin('LED3'));
  vi.stubGlobal('print', (text: string) => at(text));
  vi.stubGlobal('digitalPulse', (target: { name: string }, _value: number, ms: number | number[]) => at(`${target.name} pulse ${JSON.stringify(ms)}`));
  vi.stubGlobal('getTime', () => clock.nowMs / 1000);
  const ports: PaymentPorts = {
    requestTap: (run) => {
      const refusal = options.refusal ?? '';
      at(`task requested: ${refusal || 'runs'}`);
      if (refusal === '') run((ok) => at(`task ${ok ? 'done' : 'failed'}`));
      return refusal;
    },
    peakSafe: (peakMa) => {
      at(`peak ${peakMa} mA safe?`);
      return options.motorSafe ?? true;
    },
    paymentsLeft: () => 12,
    fieldSeen: () => at('field seen'),
    tapReported: () => at('power report'),
    onReport: () => {},
  };
  const events: EventStream = {
    emit: (name, data) => at(`${name} ${JSON.stringify(data)}`),
  };
  const tally = { paid: 0, lastTap: '' };
  const hardware = { motor: hapticMotor({ pin: pin('HAPTIC') as unknown as Pin }) };
  const payments = withGlobalTimers(clock, () => startPayments(ports, hardware, tally, events));
  return {
    log,
    tally,
    session: payments.session,
    payments,
    clock,
    /** RF_FIELD_INFO_NTF. */
    field(on: boolean) {
      withGlobalTimers(clock, () => payments.nci({ kind: 'field', fieldOn: on }));
    },
    /** RF_NFCEE_ACTION_NTF from the SE (trigger '10'): its EVT_TRANSACTION data. */
    transaction(atc: number, cid: number, amountBcd = [0, 0, 0, 0, 0x12, 0x50]) {
      withGlobalTimers(clock, () => payments.nci({ kind: 'action', nfceeId: 0xc0, trigger: 0x10, data: evtTransaction(atc, cid, amountBcd) }));
    },
    /** Lets `ms` pass, running the timers due meanwhile. */
    wait(ms: number) {
      const until = clock.nowMs + ms;
      while (clock.pending().length > 0 && clock.nowMs + clock.pending()[0]! <= until) withGlobalTimers(clock, () => clock.advanceToNext());
      clock.nowMs = until;
    },
  };
}

/** ETSI TS 102 622 12.3.2 EVT_TRANSACTION as the controller forwards it: '81' AID, '82' the applet's BER-TLV (amount, EUR, ATC, CID). */
function evtTransaction(atc: number, cid: number, amountBcd: number[]): Uint8Array {
  const params = [0x9f, 0x02, 6, ...amountBcd, 0x5f, 0x2a, 2, 0x09, 0x78, 0x9a, 3, 0x26, 0x12, 0x07, 0x9f, 0x36, 2, atc >> 8, atc & 0xff, 0x9f, 0x27, 1, cid];
  return Uint8Array.of(0x81, 7, 0xa0, 0, 0, 0, 3, 0x10, 0x10, 0x82, params.length, ...params);
}

describe('the payment session on the NFC controller\'s notifications', () => {
  it('starts ready', () => {
    const strap = startStrap();
    expect([strap.log, strap.session.value()]).toEqual([[], 'ready']);
  });

  it('pays a tap whose transaction was an ARQC: LED3 while the field stays, then green, one buzz, the tap reported with its ATC and amount, the transaction kept', () => {
    const strap = startStrap();
    strap.log.length = 0;
    strap.field(true);
    strap.wait(200);
    strap.transaction(7, 0x80);
    strap.wait(200);
    strap.field(false);
    strap.wait(1000);
    expect(strap.log).toEqual([
      '0 field seen',
      '0 task requested: runs',
      '0 LED3 on',
      '400 LED3 off',
      '400 task done',
      '400 [tap] paid, payments left 12 (12.50 EUR, atc 7)',
      '400 tap {"ok":true,"why":"","payLeft":12,"atc":7,"amount":1250,"currency":978}',
      '400 power report',
      '400 LED2 on',
      '400 peak 74 mA safe?',
      '400 HAPTIC pulse 100',
      '600 LED2 off',
    ]);
    expect(strap.tally).toEqual({ paid: 1, lastTap: 'paid, payments left 12' });
    expect([strap.session.value(), strap.clock.pending()]).toEqual(['ready', []]);
    expect(strap.payments.last()).toEqual([{ atc: 7, amount: 1250, currency: 978, outcome: 'online', upS: 0 }]);
  });

  it('reports a tap the SE declined (AAC) as declined: red, no buzz, the transaction kept as declined', () => {
    const strap = startStrap();
    strap.field(true);
    strap.transaction(8, 0x00);
    strap.log.length = 0;
    strap.field(false);
    expect(strap.log).toEqual([
      '0 LED3 off',
      '0 task failed',
      '0 [tap] declined, payments left 12 (12.50 EUR, atc 8)',
      '0 tap {"ok":false,"why":"declined","payLeft":12,"atc":8,"amount":1250,"currency":978}',
      '0 power report',
      '0 LED1 on',
    ]);
    expect(strap.payments.last()[0]).toMatchObject({ atc: 8, outcome: 'declined' });
  });

  it('reports a field that went without a transaction (lost mid-tap, or no payment) as failed, without ATC', () => {
    const strap = startStrap();
    strap.field(true);
    strap.log.length = 0;
    strap.field(false);
    expect(strap.log.filter((line) => line.includes('tap'))).toEqual(['0 [tap] failed, payments left 12', '0 tap {"ok":false,"why":"failed","payLeft":12}']);
    expect(strap.payments.last()).toEqual([]);
  });

  it('keeps the last five transactions, newest first, and takes a transaction from an earlier field for none of the next', () => {
    const strap = startStrap();
    for (let atc = 1; atc <= 7; atc++) {
      strap.field(true);
      strap.transaction(atc, 0x80);
      strap.field(false);
    }
    strap.field(true);
    strap.field(false);
    expect(strap.payments.last().map((tx) => tx.atc)).toEqual([7, 6, 5, 4, 3]);
    expect(strap.tally).toEqual({ paid: 7, lastTap: 'failed, payments left 12' });
  });

  it('takes an NFCEE action that is no transaction (a SELECT, or malformed data) for none', () => {
    const strap = startStrap();
    strap.field(true);
    strap.payments.nci({ kind: 'action', nfceeId: 0xc0, trigger: 0x00, data: Uint8Array.of(0xa0, 0, 0, 0, 3, 0x10, 0x10) });
    strap.payments.nci({ kind: 'action', nfceeId: 0xc0, trigger: 0x10, data: Uint8Array.of(0x81, 7, 0xa0, 0x82, 0x30, 0x9f) });
    strap.field(false);
    expect(strap.tally.lastTap).toBe('failed, payments left 12');
    expect(strap.payments.last()).toEqual([]);
  });

  it('cuts a field held past 2.5 s short: the task failed, a long red, no buzz; the field going later is no tap', () => {
    const strap = startStrap();
    strap.field(true);
    strap.log.length = 0;
    strap.wait(4000);
    strap.field(false);
    strap.wait(1000);
    expect(strap.log).toEqual([
      '2500 LED3 off',
      '2500 task failed',
      '2500 [tap] failed, payments left 12',
      '2500 tap {"ok":false,"why":"failed","payLeft":12}',
      '2500 power report',
      '2500 LED1 on',
      '3000 LED1 off',
    ]);
    expect(strap.tally).toEqual({ paid: 0, lastTap: 'failed, payments left 12' });
  });

  it('shows a brownout refusal red twice without the motor, and takes the next field as a new tap', () => {
    const strap = startStrap({ refusal: 'brownout' });
    strap.log.length = 0;
    strap.field(true);
    strap.field(false);
    expect(strap.log).toEqual([
      '0 field seen',
      '0 task requested: brownout',
      '0 [tap] refused brownout, payments left 12',
      '0 tap {"ok":false,"why":"brownout","payLeft":12}',
      '0 power report',
      '0 LED1 pulse [100,100,100]',
    ]);
    strap.field(true);
    expect(strap.log.slice(6)).toEqual(strap.log.slice(0, 6));
  });

  it('shows and reports nothing when the scheduler takes no task (shipping mode), and takes the next field as a new tap', () => {
    const strap = startStrap({ refusal: 'off' });
    strap.log.length = 0;
    strap.field(true);
    strap.field(false);
    strap.field(true);
    expect(strap.log).toEqual(['0 field seen', '0 task requested: off', '0 field seen', '0 task requested: off']);
    expect([strap.session.value(), strap.tally]).toEqual(['ready', { paid: 0, lastTap: '' }]);
  });

  it('pays without the buzz when the cell cannot carry the motor', () => {
    const strap = startStrap({ motorSafe: false });
    strap.field(true);
    strap.transaction(1, 0x80);
    strap.field(false);
    expect(strap.log.filter((line) => /HAPTIC|peak|paid/.test(line))).toEqual(['0 [tap] paid, payments left 12 (12.50 EUR, atc 1)', '0 peak 74 mA safe?']);
    expect(strap.tally.paid).toBe(1);
  });

  it('takes a field that comes back during a tap as the same tap', () => {
    const strap = startStrap();
    strap.field(true);
    strap.log.length = 0;
    strap.field(true);
    expect([strap.log, strap.session.value()]).toEqual([[], 'session']);
  });
});
