/**
 * `strap pay --amount 12.50 [--currency EUR]`: a real tap in the simulator
 * (sim/pay-once.ts): the virtual strap, worn and unlocked by the paired
 * companion phone over the wallet service (or over the console), in a POS
 * terminal's field; the terminal's outcome with the ATC and cryptogram, the
 * issuer's answer, the strap's own lines, what the phone heard, and where
 * the tap's traces went.
 */
import { performance } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import { BUNDLE_FILE, BUNDLE_PATH } from '../../firmware/build/outputs';
import type { Command } from '../command';
import { EXIT_CODES_HELP, ExitCode, UsageError } from '../exit-codes';
import { HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, existingFile, parseOptions } from '../options';
import { printJson, reportFailure } from '../output';
import type { PayOnce } from '../../sim/pay-once';

const HELP = `Usage: strap pay --amount <amount> [--currency <code>] [options]

Taps the virtual strap on a POS terminal: builds ${BUNDLE_FILE} if needed,
boots it on a virtual Puck.js-class board with its NFC controller and its
secure element (personalized at the factory with a token of a seeded
issuer) and its radio, closes the clasp; the companion phone tap-to-pairs
(a long press, the NFC tag, LESC passkey) and unlocks it over the wallet
service; a terminal comes into its field with the amount. The terminal's
APDUs go through the controller to the SE; the issuer checks the ARQC and
answers with an ARPC. Prints the outcome with the ATC and cryptogram, the
issuer's answer, what the strap printed, what the phone did and heard (the
status notification after the tap, the transactions it read), and the
tap's ISO 14443 pcap and NCI log.

Options:
      --amount <amount>    in major units, up to two decimals: 12.50 (required)
      --currency <code>    ISO 4217 code or number (default EUR; the token's account is in EUR,
                           so the issuer declines another currency)
      --off-wrist          the clasp open: the phone's unlock is refused, the terminal finds no card
      --unlock <who>       phone (default: over the wallet service) or console (strap.unlock(), as a rig without a phone)
      --suspend            the phone suspends the token first: the card declines the tap (AAC)
      --seed <n|text>      seed of every random stream (default 1): same seed, same tap
      --trace-dir <dir>    where the pcap and NCI log go (default artifacts/taps)
      --firmware <file>    the bundle to run (default ${BUNDLE_FILE})
      --no-build           do not rebuild the firmware even if its sources are newer
${JSON_OPTION_HELP}
${HELP_OPTION_HELP}

Examples:
  strap pay --amount 12.50 --currency EUR
  strap pay --amount 80 --json | jq .tap.result.atc
  strap pay --amount 5 --suspend           # declined at the card: the token suspended from the phone

Exit codes for pay: 0 approved, 1 anything else (declined, no card, field lost).
${EXIT_CODES_HELP}`;

const CURRENCIES: Readonly<Record<string, number>> = { EUR: 978, USD: 840, GBP: 826, CHF: 756, JPY: 392 };
/** Above this a terminal would not take a contactless tap (and the amount field, n12, would not hold it): 10,000,000.00. */
const MAX_AMOUNT_MINOR = 1_000_000_000;

export const payCommand: Command = {
  name: 'pay',
  summary: 'tap the virtual strap on a POS terminal: outcome, ATC, cryptogram, issuer answer, traces',
  help: HELP,
  async run(argv) {
    const values = parseOptions('pay', argv, {
      amount: { type: 'string' },
      currency: { type: 'string', default: 'EUR' },
      'off-wrist': { type: 'boolean', default: false },
      unlock: { type: 'string', default: 'phone' },
      suspend: { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      'trace-dir': { type: 'string', default: 'artifacts/taps' },
      firmware: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      ...JSON_OPTION,
    });
    if (values.amount === undefined) throw new UsageError('--amount is required (12.50)');
    const amountMinor = parseAmount(values.amount);
    const currency = parseCurrency(values.currency);
    const unlock = values.unlock;
    if (unlock !== 'phone' && unlock !== 'console') throw new UsageError(`--unlock must be phone or console, got ${JSON.stringify(unlock)}`);
    if (values.suspend && unlock !== 'phone') throw new UsageError('--suspend needs the phone (--unlock phone)');
    const firmwarePath = values.firmware === undefined ? BUNDLE_PATH : existingFile('--firmware', values.firmware);
    if (values.firmware === undefined && values['no-build'] && !existsSync(BUNDLE_PATH)) {
      throw new UsageError(`no firmware at ${BUNDLE_FILE}: build it (npm run build:firmware) or drop --no-build`);
    }
    try {
      const { buildFirmwareIfStale } = await import('../../sim/run-simulator');
      if (values.firmware === undefined && !values['no-build']) await buildFirmwareIfStale(firmwarePath, process.stderr);
      const { payOnce } = await import('../../sim/pay-once');
      const { describeTap } = await import('../../sim/scenario/describe-tap');
      const started = performance.now();
      const paid = await payOnce({
        firmwarePath, amountMinor, currency, seed: /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed, worn: !values['off-wrist'], traceDir: values['trace-dir'],
        unlock, suspend: values.suspend,
      });
      const wallMs = performance.now() - started;
      const approved = paid.tap.outcome === 'approved';
      if (values.json) {
        const { result, issuer } = paid.tap;
        printJson({
          outcome: paid.tap.outcome,
          ...(result && { reason: result.reason, pan: result.pan, atc: result.atc, cid: result.cid, cryptogram: hex(result.cryptogram), cdcvm: result.cdcvm, apdus: result.exchanges.length }),
          ...(issuer && { issuer: { approved: issuer.approved, arc: issuer.arc, reason: issuer.reason, arpc: hex(issuer.arpc) } }),
          tapMs: paid.tap.tapMs,
          traces: paid.tap.traces,
          strap: paid.strapLines,
          kept: paid.kept,
          ...(paid.phone && { phone: paid.phone }),
          chargeUas: paid.chargeUas,
          wallMs,
        });
      } else {
        process.stdout.write(
          [
            describeTap(paid.tap, { amountMinor, currency }),
            ...paid.strapLines.map((line) => `  strap: ${line}`),
            ...phoneLines(paid.phone),
            `  charge ${paid.chargeUas.toFixed(0)} µAs from the cell; ${wallMs.toFixed(0)} ms of wall time (boot and unlock included)`,
            '',
          ].join('\n'),
        );
      }
      return approved ? ExitCode.ok : ExitCode.failed;
    } catch (error) {
      return reportFailure('pay', error, { json: values.json });
    }
  },
};

/** What the phone did (its steps, failures said), the status it heard after the tap and the transactions it read. */
function phoneLines(phone: PayOnce['phone']): string[] {
  if (!phone) return [];
  // Its GATT plumbing (subscribe, write, read) left out unless it failed.
  const lines = phone.steps.filter((e) => !e.ok || !['subscribe', 'write', 'read'].includes(e.step)).map((e) => `  phone: ${e.step} ${e.ok ? '' : 'FAILED '}${e.text}`);
  const s = phone.status;
  if (s) {
    const tx = s.newest ? `; newest: ATC ${s.newest.atc} ${s.newest.outcome} ${(s.newest.amount / 100).toFixed(2)} (${s.newest.currency})` : '';
    lines.push(`  phone: heard status: ${s.worn ? 'worn' : 'off the wrist'}, ${s.unlocked ? 'unlocked' : 'locked'}, card emulation ${s.cardEmulation ? 'on' : 'off'}, ${s.kept} kept${tx}`);
  }
  return lines;
}

/** '12.50' → 1250; refuses what is not a plain decimal with at most two places. */
export function parseAmount(text: string): number {
  if (!/^\d{1,8}(\.\d{1,2})?$/.test(text)) throw new UsageError(`--amount must be a plain amount with at most two decimals (12.50), got ${JSON.stringify(text)}`);
  const [whole, fraction = ''] = text.split('.');
  const minor = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (minor > MAX_AMOUNT_MINOR) throw new UsageError(`--amount ${text} is more than a contactless terminal takes`);
  return minor;
}

/** 'EUR' or '978' → 978. */
export function parseCurrency(text: string): number {
  const code = CURRENCIES[text.toUpperCase()];
  if (code !== undefined) return code;
  if (/^\d{3}$/.test(text) && Number(text) > 0) return Number(text);
  throw new UsageError(`--currency must be an ISO 4217 code (${Object.keys(CURRENCIES).join(', ')}) or its number, got ${JSON.stringify(text)}`);
}

function hex(bytes: Uint8Array | undefined): string | undefined {
  return bytes && Buffer.from(bytes).toString('hex').toUpperCase();
}
