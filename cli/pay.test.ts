// `strap pay` as a person runs it: a real tap on the virtual strap, its exit code and what it prints.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAmount, parseCurrency } from './commands/pay';
import { CLI_BUNDLE } from './testing/cli-bundle';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The CLI compiled once for this run (testing/cli-bundle.ts); npm-start-survives-runaway-lines.test.ts runs bin/strap.js itself. */
const BIN = CLI_BUNDLE;
const TRACES = mkdtempSync(path.join(tmpdir(), 'strap-pay-'));
afterAll(() => rmSync(TRACES, { recursive: true, force: true }));

function pay(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'pay', '--no-build', '--trace-dir', TRACES, ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('strap pay', () => {
  it('taps 12.50 EUR: approved by the issuer with the ATC, the ARQC and the ARPC, the strap paid, the traces written; exit 0', async () => {
    const { code, stdout } = await pay('--amount', '12.50', '--currency', 'EUR');
    expect(code).toBe(0);
    const [line, ...rest] = stdout.trim().split('\n');
    expect(line).toMatch(/^POS approved for 12\.50 EUR, ATC 1, ARQC [0-9A-F]{16}, issuer approved ARC 00 ARPC [0-9A-F]{16}, in \d+\.\d ms; traces .*tap-1\.pcap, .*tap-1\.nci\.log$/);
    expect(rest).toContain('  strap: [tap] paid, payments left ' + /payments left (\d+)/.exec(stdout)![1] + ' (12.50 EUR, atc 1)');
    // The phone paired, unlocked over the wallet service, heard the tap's status notification and read the transaction.
    expect(rest).toEqual(expect.arrayContaining(['  phone: bond bond with C0:11:22:33:44:01 stored', '  phone: wallet unlocked', '  phone: wallet 1 transaction']));
    expect(rest).toContain('  phone: heard status: worn, unlocked, card emulation on, 1 kept; newest: ATC 1 online 12.50 (978)');
    expect(existsSync(path.join(TRACES, 'tap-1.pcap'))).toBe(true);
    expect(readFileSync(path.join(TRACES, 'tap-1.nci.log'), 'utf8')).toContain('RF_NFCEE_ACTION');
  });

  it('answers JSON with the same tap for the same seed', async () => {
    const a = JSON.parse((await pay('--amount', '80', '--json', '--seed', '5')).stdout) as Record<string, unknown>;
    const b = JSON.parse((await pay('--amount', '80', '--json', '--seed', '5')).stdout) as Record<string, unknown>;
    expect(a).toMatchObject({ outcome: 'approved', atc: 1, cid: 0x80, cdcvm: true, issuer: { approved: true, arc: '00' }, kept: [{ atc: 1, amount: 8000, currency: 978, outcome: 'online' }] });
    expect(a.phone).toMatchObject({ status: { unlocked: true, cardEmulation: true, kept: 1 }, transactions: [{ atc: 1, amount: 8000, currency: 978, outcome: 'online' }] });
    expect(a.cryptogram).toMatch(/^[0-9A-F]{16}$/);
    expect([b.cryptogram, b.tapMs]).toEqual([a.cryptogram, a.tapMs]);
  });

  it('exits 1 when the issuer declines (an account in EUR asked for USD) and when the strap is off the wrist (no card found)', async () => {
    const usd = await pay('--amount', '5', '--currency', 'USD');
    expect([usd.code, usd.stdout]).toEqual([1, expect.stringMatching(/^POS declined for 5\.00 USD \(currency-not-accepted\), ATC 1, ARQC .* issuer declined currency-not-accepted ARC 05/)]);
    const off = await pay('--amount', '5', '--off-wrist');
    expect([off.code, off.stdout]).toEqual([1, expect.stringMatching(/^POS found no card for 5\.00 EUR, in /)]);
    expect(off.stdout).toContain('  phone: wallet FAILED request 0 (op 0x02) refused: the strap is not worn (clasp open)');
    expect(off.stdout).not.toContain('[tap]');
  });

  it('declines at the card when the phone suspended the token first (AAC, exit 1), and unlocks over the console with --unlock console', async () => {
    const suspended = await pay('--amount', '5', '--suspend');
    expect(suspended.code).toBe(1);
    expect(suspended.stdout).toMatch(/^POS declined for 5\.00 EUR \(card-declined\), ATC 1, AAC /);
    expect(suspended.stdout).toContain('  phone: wallet token suspended');
    expect(suspended.stdout).toContain('  strap: [tap] declined');
    const console = await pay('--amount', '5', '--unlock', 'console');
    expect(console.code).toBe(0);
    expect(console.stdout).not.toContain('phone:');
    expect(await pay('--amount', '5', '--unlock', 'console', '--suspend')).toMatchObject({ code: 2, stderr: expect.stringContaining('--suspend needs the phone') });
  });

  it('refuses a bad amount or currency with exit 2 and one line naming it', async () => {
    expect(await pay('--amount', '12.505')).toMatchObject({ code: 2, stderr: 'strap pay: --amount must be a plain amount with at most two decimals (12.50), got "12.505"\n' });
    expect(await pay()).toMatchObject({ code: 2, stderr: expect.stringContaining('--amount is required') });
    expect(await pay('--amount', '1', '--currency', 'EURO')).toMatchObject({ code: 2, stderr: expect.stringContaining('--currency must be an ISO 4217 code') });
  });
});

describe('strap pay: amounts and currencies', () => {
  it('reads major units with up to two decimals as minor units, and codes or numbers as ISO 4217 numbers', () => {
    expect([parseAmount('12.50'), parseAmount('12.5'), parseAmount('0'), parseAmount('80')]).toEqual([1250, 1250, 0, 8000]);
    expect(() => parseAmount('-1')).toThrow('--amount');
    expect(() => parseAmount('1e3')).toThrow('--amount');
    expect([parseCurrency('EUR'), parseCurrency('usd'), parseCurrency('978')]).toEqual([978, 840, 978]);
  });
});
