import { describe, expect, it } from 'vitest';
import { PhoneTimeoutError, realTimePhoneDriver } from './phone-driver';

describe('realTimePhoneDriver (a phone on a real HCI adapter)', () => {
  it('resolves with the first answer the callback gets, later ones ignored', async () => {
    const driver = realTimePhoneDriver();
    const value = await driver.wait<number>('an answer', 5000, (done) => {
      setTimeout(() => {
        done(1);
        done(2);
      }, 1);
    });
    expect(value).toBe(1);
  });

  it('rejects with a PhoneTimeoutError naming the wait when no answer comes in time; a late answer changes nothing', async () => {
    const driver = realTimePhoneDriver();
    let late: ((v: string) => void) | undefined;
    const waiting = driver.wait<string>('scanning for C0:11:22:33:44:01', 20, (done) => (late = done));
    await expect(waiting).rejects.toThrow(PhoneTimeoutError);
    await expect(waiting).rejects.toThrow('timed out after 0.02 s: scanning for C0:11:22:33:44:01');
    expect(() => late!('too late')).not.toThrow();
  });

  it('counts its time from its start, in wall milliseconds', async () => {
    const driver = realTimePhoneDriver();
    const first = driver.nowMs();
    await new Promise((r) => setTimeout(r, 15));
    expect(first).toBeLessThan(60_000); // not the epoch: the log prints seconds since the start
    expect(driver.nowMs()).toBeGreaterThan(first);
  });
});
