/**
 * One real tap on a fresh virtual strap, for `strap pay` (cli/commands/pay.ts):
 * the firmware boots on the virtual board with its NFC controller and
 * personalized SE, the wearer unlocks it (as the phone would, over the
 * console), a POS terminal comes into the field with the purchase, and the
 * strap's own account of it follows (its `[tap]` line, the transaction it
 * kept). Virtual time only; the caller measures wall time.
 */
import { readFileSync } from 'node:fs';
import { attachPowerModel } from './power/board-power';
import type { StrapTap } from './scenario/strap-payment';
import { createVirtualStrap } from './scenario/virtual-strap';

export interface PayOnceOptions {
  firmwarePath: string;
  amountMinor: number;
  /** ISO 4217 numeric. */
  currency: number;
  seed?: number | string;
  /** The clasp closed (default true); false: off the wrist, card emulation stays off. */
  worn?: boolean;
  /** Where the tap's pcap and NCI log go. */
  traceDir?: string;
}

export interface PayOnce {
  tap: StrapTap;
  /** The strap's console lines about it (`[ce] …`, `[tap] …`). */
  strapLines: string[];
  /** What the strap kept (`strap.payments()`), newest first. */
  kept: unknown;
  /** The charge the tap cost the cell, from the power model (µAs, field on to a second after). */
  chargeUas: number;
}

/** Boot and unlock settle within this (virtual ms): the console line, card emulation's bring-up. */
const SETTLE_MS = 1000;

export async function payOnce(options: PayOnceOptions): Promise<PayOnce> {
  const strap = createVirtualStrap({ firmware: readFileSync(options.firmwarePath, 'latin1'), seed: options.seed ?? 1, powerOn: false, worn: options.worn ?? true, traceDir: options.traceDir });
  const { board } = strap;
  const { power } = attachPowerModel(board, { trace: false });
  strap.payment.drivePower(power);
  let out = '';
  board.console.onOutput((bytes) => (out += bytes));
  board.powerOn();
  board.run(SETTLE_MS);
  board.evaluate('strap.unlock()');
  board.run(SETTLE_MS);
  power.sync();
  const before = power.chargeUas();
  const tap = await strap.payment.tap({ amountMinor: options.amountMinor, currency: options.currency });
  board.run(SETTLE_MS);
  power.sync();
  const kept = board.evaluate('strap.payments()');
  const strapLines = out
    .split(/\r?\n/)
    .map((line) => line.replace(/^[>\s]*(\x1b\[J)?/, ''))
    .filter((line) => /^\[(ce|tap|wear)\] /.test(line));
  return { tap, strapLines, kept: kept.ok ? kept.value : undefined, chargeUas: power.chargeUas() - before };
}
