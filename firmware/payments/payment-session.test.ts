import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventStream } from '../console/event-stream';
import { HapticMotor } from '../drivers/haptic-motor';
import { FakeClock, withGlobalTimers } from '../statecharts/host/testing/fake-clock';
import { startPayments, type PaymentPorts } from './payment-session';

// The tap as the payment session runs it, on Espruino's globals stubbed here:
// what the pins do and when, what the scheduler is asked, what is printed
// and emitted. (The same firmware on the virtual board, with the real
// scheduler and power model: sim/scenario/strap-payments.test.ts.)

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
  let watch: ((e: { state: boolean }) => void) | undefined;
  vi.stubGlobal('LED1', pin('LED1'));
  vi.stubGlobal('LED2', pin('LED2'));
  vi.stubGlobal('LED3', pin('LED3'));
  vi.stubGlobal('print', (text: string) => at(text));
  vi.stubGlobal('digitalPulse', (target: { name: string }, _value: number, ms: number | number[]) => at(`${target.name} pulse ${JSON.stringify(ms)}`));
  vi.stubGlobal('setWatch', (callback: (e: { state: boolean }) => void, target: { name: string }, watchOptions: unknown) => {
    at(`watch ${target.name} ${JSON.stringify(watchOptions)}`);
    watch = callback;
    return 1;
  });
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
  };
  const events: EventStream = {
    emit: (name, data) => at(`${name} ${JSON.stringify(data)}`),
    subscribe: () => ({ boots: 1, seq: 0 }),
    unsubscribe: () => {},
    replay: () => 0,
  };
  const tally = { paid: 0, lastTap: '' };
  const hardware = { field: pin('NFC_IRQ') as unknown as Pin, sePower: pin('SE_EN') as unknown as Pin, motor: new HapticMotor({ pin: pin('HAPTIC') as unknown as Pin }) };
  const session = withGlobalTimers(clock, () => startPayments(ports, hardware, tally, events));
  return {
    log,
    tally,
    session,
    clock,
    field(on: boolean) {
      withGlobalTimers(clock, () => watch!({ state: on }));
    },
    /** Lets `ms` pass, running the timers due meanwhile. */
    wait(ms: number) {
      const until = clock.nowMs + ms;
      while (clock.pending().length > 0 && clock.nowMs + clock.pending()[0]! <= until) withGlobalTimers(clock, () => clock.advanceToNext());
      clock.nowMs = until;
    },
  };
}

describe('the payment session on the tap pins', () => {
  it('watches the NFC controller IRQ, both edges, and starts ready', () => {
    const strap = startStrap();
    expect(strap.log).toEqual(['0 watch NFC_IRQ {"edge":"both","repeat":true}']);
    expect(strap.session.value()).toBe('ready');
  });

  it('pays a tap: SE and LED3 on while the field stays, then green, one buzz, the tap reported with the payments left', () => {
    const strap = startStrap();
    strap.log.length = 0;
    strap.field(true);
    strap.wait(400);
    strap.field(false);
    strap.wait(1000);
    expect(strap.log).toEqual([
      '0 field seen',
      '0 task requested: runs',
      '0 SE_EN on',
      '0 LED3 on',
      '400 SE_EN off',
      '400 LED3 off',
      '400 task done',
      '400 [tap] paid, payments left 12',
      '400 tap {"ok":true,"why":"","payLeft":12}',
      '400 power report',
      '400 LED2 on',
      '400 peak 74 mA safe?',
      '400 HAPTIC pulse 100',
      '600 LED2 off',
    ]);
    expect(strap.tally).toEqual({ paid: 1, lastTap: 'paid, payments left 12' });
    expect([strap.session.value(), strap.clock.pending()]).toEqual(['ready', []]);
  });

  it('cuts a field held past 2.5 s short: SE off, the task failed, a long red, no buzz; the field going later is no tap', () => {
    const strap = startStrap();
    strap.field(true);
    strap.log.length = 0;
    strap.wait(4000);
    strap.field(false);
    strap.wait(1000);
    expect(strap.log).toEqual([
      '2500 SE_EN off',
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

  it('shows a brownout refusal red twice without powering the SE or the motor, and takes the next field as a new tap', () => {
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
    strap.field(false);
    expect(strap.log.filter((line) => /HAPTIC|peak|paid/.test(line))).toEqual(['0 [tap] paid, payments left 12', '0 peak 74 mA safe?']);
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
