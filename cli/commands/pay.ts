/**
 * `strap pay --amount 12.50 [--currency EUR]`: a real tap in the simulator
 * (sim/pay-once.ts): the virtual strap, worn and unlocked, in a POS
 * terminal's field; the terminal's outcome with the ATC and cryptogram, the
 * issuer's answer, the strap's own lines, and where the tap's traces went.
 */
import { performance } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import { BUNDLE_FILE, BUNDLE_PATH } from '../../firmware/build/outputs';
import type { Command } from '../command';
import { EXIT_CODES_HELP, ExitCode, UsageError } from '../exit-codes';
import { HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, existingFile, parseOptions } from '../options';
import { printJson, reportFailure } from '../output';

const HELP = `Usage: strap pay --amount <amount> [--currency <code>] [options]

Taps the virtual strap on a POS terminal: builds ${BUNDLE_FILE} if needed,
boots it on a virtual Puck.js-class board with its NFC controller and its
secure element (personalized at the factory with a token of a seeded
issuer), closes the clasp, unlocks it as the wearer's phone would, and brings
a terminal into its field with the amount. The terminal's APDUs go through
the controller to the SE; the issuer checks the ARQC and answers with an
ARPC. Prints the outcome with the ATC and cryptogram, the issuer's answer,
what the strap printed, and the tap's ISO 14443 pcap and NCI log.

Options:
      --amount <amount>    in major units, up to two decimals: 12.50 (required)
      --currency <code>    ISO 4217 code or number (default EUR; the token's account is in EUR,
                           so the issuer declines another currency)
      --off-wrist          the clasp open: card emulation stays off and the terminal finds no card
      --seed <n|text>      seed of every random stream (default 1): same seed, same tap
      --trace-dir <dir>    where the pcap and NCI log go (default artifacts/taps)
      --firmware <file>    the bundle to run (default ${BUNDLE_FILE})
      --no-build           do not rebuild the firmware even if its sources are newer
${JSON_OPTION_HELP}
${HELP_OPTION_HELP}

Examples:
  strap pay --amount 12.50 --currency EUR
  strap pay --amount 80 --json | jq .tap.result.atc

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
      seed: { type: 'string', default: '1' },
      'trace-dir': { type: 'string', default: 'artifacts/taps' },
      firmware: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      ...JSON_OPTION,
    });
    if (values.amount === undefined) throw new UsageError('--amount is required (12.50)');
    const amountMinor = parseAmount(values.amount);
    const currency = parseCurrency(values.currency);
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
          chargeUas: paid.chargeUas,
          wallMs,
        });
      } else {
        process.stdout.write(
          [
            describeTap(paid.tap, { amountMinor, currency }),
            ...paid.strapLines.map((line) => `  strap: ${line}`),
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
