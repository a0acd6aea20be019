/**
 * The `payment-apdus` kind: hostile command APDUs for the payment applet on
 * the real secure element (sim/se with the PPSE and Visa applets installed
 * and personalized, as the factory does). One case is a burst of 40 inputs
 * drawn from its seed: every command of the applet (SELECT PPSE / AID, GPO
 * with PDOL data, READ RECORD, GET DATA, and the host commands STORE DATA,
 * SET WEARER VERIFIED, SET TOKEN STATE on the host interface) sent as is or
 * mutated (Lc and Le wrong, CLA and INS of every value, the data's TLV cut,
 * oversized or nested wrongly), and random APDUs; now and then the field goes.
 *
 * Verdict: crash when anything throws out of the SE; unhealthy when an answer
 * has no status word, when two answers carry the same ATC, or when, after the
 * burst, a clean terminal tap (sim/pos PosTerminal on the contactless
 * interface, the issuer of sim/cloud online) is not approved with an ATC
 * strictly above every ATC the burst saw. A host that finds the token
 * suspended resumes it first (as the issuer's resume would); a token the
 * burst deleted ('80 C6 03 00', final) must decline, not approve.
 */
import { findTag, parseTlv } from '../../protocols/ber-tlv/tlv';
import { encodeCommandApdu, type CommandApdu } from '../../protocols/iso7816/apdu';
import { SeededRandom } from '../../sim/clock/seeded-random';
import { VirtualClock } from '../../sim/clock/virtual-clock';
import { seededIssuer } from '../../sim/cloud/seeded-issuer';
import { settle } from '../../sim/nfc/settle';
import type { ReaderLink } from '../../sim/nfc/contactless';
import { PosTerminal } from '../../sim/pos/terminal';
import { mutateBytes, randomBytes } from '../../sim/se/hostile-input';
import { PaymentApplet, VISA_AID } from '../../sim/se/payment/payment-applet';
import { personalizationCommands } from '../../sim/se/payment/personalization';
import { PPSE_AID, PpseApplet } from '../../sim/se/payment/ppse-applet';
import { SecureElement } from '../../sim/se/secure-element';
import type { Verdict } from '../fuzz-case';

const INPUTS_PER_CASE = 40;
const KEYS = { enc: new Uint8Array(16).fill(0x11), mac: new Uint8Array(16).fill(0x22), dek: new Uint8Array(16).fill(0x33) };
const EPOCH_MS = Date.UTC(2026, 11, 7, 12, 0, 0);
/** PDOL data in the applet's PDOL order (sim/se/payment/gpo.ts): TTQ 36004000, 12.50, 0, DE, TVR, EUR, 2026-12-06, purchase, UN. */
const PDOL_DATA = Uint8Array.from([0x36, 0, 0x40, 0, 0, 0, 0, 0, 0x12, 0x50, 0, 0, 0, 0, 0, 0, 0x02, 0x76, 0, 0, 0, 0, 0, 0x09, 0x78, 0x26, 0x12, 0x06, 0, 1, 2, 3, 4]);
const none = new Uint8Array(0);
const c = (cla: number, ins: number, p1: number, p2: number, data: Uint8Array = none, ne?: number): CommandApdu => ({ cla, ins, p1, p2, data, ...(ne === undefined ? {} : { ne }) });

const CONTACTLESS: CommandApdu[] = [
  c(0x00, 0xa4, 0x04, 0x00, PPSE_AID, 256),
  c(0x00, 0xa4, 0x04, 0x00, VISA_AID, 256),
  c(0x80, 0xa8, 0x00, 0x00, Uint8Array.of(0x83, PDOL_DATA.length, ...PDOL_DATA), 256),
  c(0x00, 0xb2, 0x01, 0x0c, none, 256),
  c(0x00, 0xb2, 0x02, 0x0c, none, 256),
  c(0x80, 0xca, 0x9f, 0x36, none, 256),
];

function hostCommands(storeData: CommandApdu[]): CommandApdu[] {
  return [
    c(0x00, 0xa4, 0x04, 0x00, VISA_AID, 256),
    c(0x80, 0xc4, 0x01, 0x00),
    c(0x80, 0xc4, 0x00, 0x00),
    c(0x80, 0xc6, 0x02, 0x00),
    c(0x80, 0xc6, 0x01, 0x00),
    c(0x80, 0xca, 0xdf, 0x20, none, 256),
    c(0x80, 0xca, 0x9f, 0x36, none, 256),
    ...storeData,
  ];
}

/** One hostile APDU from a valid one: as is, Lc/Le wrong, CLA/INS of every value, TLV cut/oversized/nested wrongly, bytes mutated, or random. */
function hostileApdu(rng: SeededRandom, base: CommandApdu): Uint8Array {
  const bytes = encodeCommandApdu(base);
  switch (rng.int(0, 9)) {
    case 0:
    case 1:
      return bytes;
    case 2: { // Lc wrong (or Le where there is no data)
      const out = bytes.slice();
      if (out.length > 4) out[4] = rng.int(0, 255);
      return out;
    }
    case 3: // Le wrong or doubled
      return Uint8Array.from([...bytes.subarray(0, bytes.length - (base.ne === undefined ? 0 : 1)), ...randomBytes(rng, rng.int(1, 3))]);
    case 4: { // CLA and INS of every value
      const out = bytes.slice();
      out[0] = rng.int(0, 255);
      if (rng.next() < 0.5) out[1] = rng.int(0, 255);
      return out;
    }
    case 5: { // the data's TLV: its first tag or length wrong, Lc kept right
      if (!base.data.length) return mutateBytes(rng, bytes, 1);
      const data = base.data.slice();
      const at = rng.int(0, Math.min(2, data.length - 1));
      data[at] = [0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff, 0x83, 0x70, 0x9f][rng.int(0, 9)]!;
      return encodeCommandApdu({ ...base, data });
    }
    case 6: { // the data cut short or grown past its TLV, Lc kept right
      const data = rng.next() < 0.5 ? base.data.slice(0, rng.int(0, base.data.length)) : Uint8Array.from([...base.data, ...randomBytes(rng, rng.int(1, 120))]);
      return encodeCommandApdu({ ...base, data: data.subarray(0, 255) });
    }
    case 7: { // the data nested in a constructed tag whose length is wrong
      const inner = base.data.subarray(0, 250);
      const length = rng.next() < 0.5 ? inner.length : rng.int(0, 255);
      return encodeCommandApdu({ ...base, data: Uint8Array.of(rng.next() < 0.5 ? 0x70 : 0x77, length, ...inner) });
    }
    case 8:
      return mutateBytes(rng, bytes, rng.int(1, 4));
    default:
      return Uint8Array.of(rng.int(0, 255), rng.int(0, 255), rng.int(0, 255), rng.int(0, 255), ...randomBytes(rng, rng.int(0, 40)));
  }
}

export async function paymentApdusCase(seed: number): Promise<{ input: string; verdict: Verdict }> {
  const rng = new SeededRandom(seed);
  const clock = new VirtualClock();
  const world = seededIssuer(new SeededRandom(`payment-apdus/${seed}/issuer`));
  const storeData = personalizationCommands(world.token);
  const se = new SecureElement({ clock, isdKeys: KEYS, powered: true });
  se.install(new PpseApplet([{ aid: VISA_AID, label: 'VISA', priority: 1 }]));
  se.install(new PaymentApplet({ aid: VISA_AID }));
  clock.advanceBy(se.timing.wakeUpMs);
  const host = (apdu: Uint8Array) => se.runApdu(se.hostRuntime, apdu)?.response ?? none;
  host(encodeCommandApdu(c(0x00, 0xa4, 0x04, 0x00, VISA_AID, 256)));
  for (const command of storeData) host(encodeCommandApdu(command));
  se.contactless.fieldOn();

  const hostSet = hostCommands(storeData);
  const shown: string[] = [];
  const atcs = new Set<number>();
  const input = () => shown.join(' ');
  try {
    for (let i = 0; i < INPUTS_PER_CASE; i++) {
      if (rng.next() < 0.05) {
        se.contactless.fieldOff();
        se.contactless.fieldOn();
        shown.push('field-cycle');
      }
      const viaHost = rng.next() < 0.25;
      const apdu = hostileApdu(rng, viaHost ? hostSet[rng.int(0, hostSet.length - 1)]! : CONTACTLESS[rng.int(0, CONTACTLESS.length - 1)]!);
      shown.push(`${viaHost ? 'host' : 'rf'}:${hex(apdu)}`);
      const response = viaHost ? host(apdu) : se.contactless.transceive(apdu).response;
      if (response.length < 2) return { input: input(), verdict: { outcome: 'unhealthy', detail: 'an answer without a status word' } };
      const atc = atcOf(response);
      if (atc !== undefined && response[0] === 0x77) {
        if (atcs.has(atc)) return { input: input(), verdict: { outcome: 'unhealthy', detail: `ATC ${atc} given to two GPO answers` } };
        atcs.add(atc);
      } else if (atc !== undefined) atcs.add(atc);
    }
    return { input: input(), verdict: await cleanTap(se, clock, world, host, Math.max(0, ...atcs)) };
  } catch (e) {
    return { input: input(), verdict: { outcome: 'crash', detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } };
  }
}

/** A clean host puts the token back in use, then a terminal taps: approved online with an ATC above every one seen. */
async function cleanTap(se: SecureElement, clock: VirtualClock, world: ReturnType<typeof seededIssuer>, host: (apdu: Uint8Array) => Uint8Array, maxAtc: number): Promise<Verdict> {
  host(encodeCommandApdu(c(0x00, 0xa4, 0x04, 0x00, VISA_AID, 256)));
  const state = host(encodeCommandApdu(c(0x80, 0xca, 0xdf, 0x20, none, 256)));
  // 'DF20 01 xx 9000' (payment-applet.ts GET DATA token state)
  const deleted = state.length === 6 && state[3] === 0x03;
  if (state.length === 6 && state[3] === 0x02) host(encodeCommandApdu(c(0x80, 0xc6, 0x01, 0x00)));
  host(encodeCommandApdu(c(0x80, 0xc4, 0x01, 0x00)));
  se.contactless.fieldOff();
  se.contactless.fieldOn();
  const link: ReaderLink = { transceive: async (apdu) => se.contactless.transceive(apdu).response };
  const terminal = new PosTerminal({ country: 276, currency: world.currency, cvmLimitMinor: 5_000 }, { random: new SeededRandom('payment-apdus/terminal'), clock, epochMs: EPOCH_MS, issuer: world.issuer });
  const result = await settle(clock, terminal.tap(link, { amountMinor: 1250 }));
  if (deleted) {
    return result.outcome === 'approved' ? { outcome: 'unhealthy', detail: 'a deleted token was approved' } : { outcome: 'ok' };
  }
  if (result.outcome !== 'approved') return { outcome: 'unhealthy', detail: `the clean tap after the burst: ${result.outcome} (${result.reason ?? ''})` };
  if (result.atc === undefined || result.atc <= maxAtc) return { outcome: 'unhealthy', detail: `the clean tap's ATC ${result.atc} is not above ${maxAtc}, seen in the burst` };
  return { outcome: 'ok' };
}

/** The ATC ('9F36') in a successful answer, if it carries one. */
function atcOf(response: Uint8Array): number | undefined {
  if (response[response.length - 2] !== 0x90 || response[response.length - 1] !== 0x00) return undefined;
  const nodes = parseTlv(response.subarray(0, response.length - 2));
  const atc = nodes.ok ? findTag(nodes.value, 0x9f36)?.value : undefined;
  return atc && atc.length === 2 ? (atc[0]! << 8) | atc[1]! : undefined;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 24), (b) => b.toString(16).padStart(2, '0')).join('') + (bytes.length > 24 ? '…' : '');
}
