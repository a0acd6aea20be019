import { describe, expect, it } from 'vitest';
import { puckBatteryPercent } from '../api/install-devices';
import { startBoard } from '../board-test-kit';
import { I2CAddressNack, I2CDataNack } from './i2c-bus';

describe('battery through the real calls', () => {
  it("Puck.getBatteryPercentage uses the Puck.js build's CR2032 scale (2.2–2.8 V)", () => {
    expect(puckBatteryPercent(2.2)).toBe(0);
    expect(puckBatteryPercent(2.5)).toBe(49); // truncated like the C int conversion
    expect(puckBatteryPercent(2.8)).toBe(99); // (2.8-2.2)*100/0.6 is 99.999… in doubles; C truncates
    expect(puckBatteryPercent(2.81)).toBe(100);
    expect(puckBatteryPercent(4.2)).toBe(100);
    expect(puckBatteryPercent(1.9)).toBe(0);
  });

  it('NRF.getBattery reads the cell and follows it', () => {
    // any cell on the battery connector; these are the Li-Po's full and half-charged volts (sim/power/cell.ts)
    const cell = { volts: 4.2, terminalVolts: () => cell.volts };
    const t = startBoard({ cell });
    expect(t.value('NRF.getBattery()')).toBeCloseTo(4.2, 5);
    cell.volts = 3.805;
    expect(t.value('NRF.getBattery()')).toBeCloseTo(3.805, 5);
    expect(t.value('Puck.getBatteryPercentage() === E.getBattery()')).toBe(true);
  });
});

describe('I2C1', () => {
  it('talks to attached devices', () => {
    const t = startBoard();
    const written: number[][] = [];
    t.board.i2c1.attach(0x28, {
      write: (bytes) => written.push([...bytes]),
      read: (n) => Uint8Array.from({ length: n }, (_, i) => 0xa0 + i),
    });
    t.value('I2C1.setup({scl: D15, sda: D14}); I2C1.writeTo(0x28, 1, [2, 3], "A")');
    expect(written).toEqual([[1, 2, 3, 65]]);
    expect(t.value('var r = I2C1.readFrom(0x28, 3); (r instanceof Uint8Array) + ":" + Array.prototype.join.call(r)')).toBe('true:160,161,162');
  });

  it('an address nobody answers raises the nRF52 port errors', () => {
    const t = startBoard();
    t.value('I2C1.setup({})');
    expect(t.value('try { I2C1.writeTo(0x30, 1) } catch (e) { e instanceof InternalError && e.message }')).toBe('I2C Write Error 33281\n');
    expect(t.value('try { I2C1.readFrom(0x30, 1) } catch (e) { e.message }')).toBe('I2C Read Error 33281\n');
    t.board.i2c1.attach(0x31, {
      write: () => {
        throw new I2CDataNack();
      },
      read: (n) => new Uint8Array(n),
    });
    expect(t.value('try { I2C1.writeTo(0x31, 1) } catch (e) { e.message }')).toBe('I2C Write Error 33282\n');
  });

  it('a device that does not acknowledge its address (unpowered, busy) raises the address NACK error', () => {
    const t = startBoard();
    t.value('I2C1.setup({})');
    t.board.i2c1.attach(0x48, {
      write: () => {
        throw new I2CAddressNack();
      },
      read: () => {
        throw new I2CAddressNack();
      },
    });
    expect(t.value('try { I2C1.writeTo(0x48, 1) } catch (e) { e.message }')).toBe('I2C Write Error 33281\n');
    expect(t.value('try { I2C1.readFrom(0x48, 2) } catch (e) { e.message }')).toBe('I2C Read Error 33281\n');
  });
});
