import { describe, expect, it } from 'vitest';
import { startBoard } from '../board/board-test-kit';
import { LiPoCell } from './cell';
import { attachPowerModel } from './board-power';

function poweredBoard(options: { cell?: LiPoCell } = {}) {
  const t = startBoard({ powerOn: false, buttonBounce: false, cell: options.cell ?? new LiPoCell() });
  const { power } = attachPowerModel(t.board);
  t.board.powerOn();
  t.board.settle();
  return { ...t, power };
}

describe('the board reports to the power model', () => {
  it('puts LED time in the ledger from the pins the firmware drives', () => {
    const t = poweredBoard();
    t.board.run(100);
    t.value('LED1.set()');
    t.board.run(200);
    t.value('LED1.reset(); digitalPulse(LED2, 1, 20)');
    t.board.run(1000);
    expect(t.power.dwellUs('led1', 'on')).toBe(200_000);
    expect(t.power.dwellUs('led2', 'on')).toBe(20_000);
    expect(t.power.chargeUas('led1')).toBe(1500 * 0.2);
  });

  it('charges the UART while a host is attached to the console, and stops when it leaves', () => {
    const t = startBoard({ powerOn: false, cell: new LiPoCell() });
    const { power } = attachPowerModel(t.board);
    t.board.powerOn(); // the test kit listens on Serial1: a host is attached
    expect(power.state('uart')).toBe('attached');
    t.board.run(1000);
    const extra = t.board.console.onOutput(() => undefined);
    extra(); // a second listener comes and goes: still attached
    expect(power.state('uart')).toBe('attached');
    t.board.run(1000);
    expect(power.dwellUs('uart', 'attached')).toBe(2_000_000);
  });

  it('leaves the UART off with no host on the console', async () => {
    const { VirtualClock } = await import('../clock/virtual-clock');
    const { VirtualBoard } = await import('../board/virtual-board');
    const board = new VirtualBoard({ clock: new VirtualClock(), cell: new LiPoCell(), powerOn: false });
    const { power } = attachPowerModel(board);
    board.powerOn();
    expect(board.link('Serial1').listenerCount).toBe(0);
    expect(power.state('uart')).toBe('off');
    expect(power.state('mcu')).toBe('sleep');
  });

  it('charges each run of JavaScript as a CPU-on window, and sleep otherwise', () => {
    const t = poweredBoard();
    t.board.run(1000); // past the boot's 100 ms window
    const runBefore = t.power.dwellUs('mcu', 'run');
    t.value('setInterval(function(){}, 1000)');
    t.board.run(10_500);
    // 10 interval callbacks + the evaluated line, 2 ms each
    expect(t.power.dwellUs('mcu', 'run') - runBefore).toBe(11 * 2000);
    expect(t.power.state('mcu')).toBe('sleep');
  });

  it('charges GPIOTE while a watch is set', () => {
    const t = poweredBoard();
    expect(t.power.state('gpiote')).toBe('off');
    t.value('var w = setWatch(function(){}, BTN, {repeat:true})');
    expect(t.power.state('gpiote')).toBe('watching');
    t.board.run(1000);
    t.value('clearWatch(w)');
    expect(t.power.state('gpiote')).toBe('off');
    expect(t.power.dwellUs('gpiote', 'watching')).toBe(1_000_000);
  });

  it('lets the firmware read the sag under load through NRF.getBattery()', () => {
    const t = poweredBoard({ cell: new LiPoCell({ stateOfCharge: 0.5 }) });
    const idle = t.value('NRF.getBattery()') as number;
    t.power.setState('haptic', 'on');
    const loaded = t.value('NRF.getBattery()') as number;
    expect(idle - loaded).toBeCloseTo(0.07 * 0.25, 6);
  });

  it('turns every rail consumer off when the board loses power', () => {
    const t = poweredBoard();
    t.value('LED3.set()');
    t.power.setState('radio', 'rx');
    t.power.setState('nfcc', 'standby');
    t.board.powerOff();
    expect(['mcu', 'uart', 'led3', 'gpiote', 'radio'].map((c) => t.power.state(c as 'mcu'))).toEqual(['off', 'off', 'off', 'off', 'off']);
    expect(t.power.state('nfcc')).toBe('unpowered');
    expect(t.power.currentUa()).toBe(1.6); // only the regulator's quiescent current is left on the cell
  });

  it('integrates around a stimulus that sets the charge, and the firmware reads the new voltage', () => {
    const t = poweredBoard({ cell: new LiPoCell({ stateOfCharge: 0.8 }) });
    t.board.run(60_000);
    const drawn = t.power.chargeUas();
    t.board.cell.setPercent(50); // the scenario's 'battery' step
    expect(t.power.chargeUas()).toBe(drawn);
    expect(t.value('NRF.getBattery()')).toBeCloseTo(3.805 - (t.power.currentUa() / 1e6) * 0.25, 6);
  });

  it('stops accounting once detached', () => {
    const t = startBoard({ powerOn: false, cell: new LiPoCell() });
    const attached = attachPowerModel(t.board);
    t.board.powerOn();
    t.board.run(1000);
    attached.detach();
    const charge = attached.power.chargeUas();
    t.value('LED1.set()');
    t.board.run(1000);
    expect(attached.power.chargeUas()).toBe(charge);
    expect(attached.power.state('led1')).toBe('off');
  });
});
