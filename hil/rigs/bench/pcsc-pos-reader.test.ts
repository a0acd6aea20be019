// The bench rig's pos-reader through real PC/SC, without hardware: pcscd
// (started here, with vsmartcard's virtual reader driver vpcd as its only
// configured reader) → vpcd → the virtual strap held to that reader as its
// virtual card (sim/nfc/vpicc.ts) → the strap's NFC controller → its secure
// element. The terminal kernel runs on a PcscReader (@pokusew/pcsclite, the
// PC/SC client library) exactly as on a bench reader, and asks its issuer. The
// HIL payment scenarios run on the in-process rig (dist/strap.js on the
// virtual board) with this terminal in the virtual field's terminal's place.
//
// Needs the Debian packages pcscd and vsmartcard-vpcd, the optional
// dependency @pokusew/pcsclite built (libpcsclite-dev at npm install), and
// root: Debian's pcscd 1.9.9 keeps its socket at /run/pcscd/pcscd.comm (the
// daemon does not read PCSCLITE_CSOCK_NAME, only the client library does), so
// it needs /run writable and no other pcscd running. Skipped otherwise, with
// what is missing. vpcd listens on two ports (one per slot) on all interfaces
// while the test runs; the strap connects to it on 127.0.0.1. pcscd runs with
// --auto-exit: should this process die before afterAll stops it, it quits
// 60 s after its last client left, removing its socket.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPcap } from '../../../protocols/pcap/pcap';
import { LINKTYPE_ISO_14443 } from '../../../protocols/pcap/iso14443';
import { FieldLost } from '../../../sim/nfc/contactless';
import { holdToReader, type VpiccEnd, type VpiccSession } from '../../../sim/nfc/vpicc';
import { loadPcsclite, PcscUnavailable } from '../../../sim/pos/pcsc-reader';
import { runScenario } from '../../run-suite';
import { paymentFieldLostScenario, paymentOffWristScenario, paymentScenario } from '../../scenarios/payment';
import type { Scenario } from '../../scenarios/scenario';
import { InProcessRig } from '../in-process/in-process-rig';
import { startVirtualBoardOnTcp } from '../virtual/virtual-board-on-tcp';
import type { ConsolePort } from '../../../sim/board/console/console-contract';
import { startPtyConsole, type PtyConsole } from '../../../sim/board/console/links/pty-console';
import { findSocat } from '../../../sim/board/console/links/socat-binary';
import { BUNDLE_PATH } from '../../../firmware/build/outputs';
import { BenchRig, benchOptionsFromEnv } from './bench-rig';
import { PcscPosReader } from './pcsc-pos-reader';

const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const READER_NAME = 'Strap test PCD';

function findPcscd(): string | undefined {
  for (const candidate of ['/usr/sbin/pcscd', '/usr/local/sbin/pcscd']) if (existsSync(candidate)) return candidate;
  const which = spawnSync('sh', ['-c', 'command -v pcscd'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

/** What stops this machine from running pcscd with vpcd here, or undefined. */
function missing(pcscd: string | undefined): string | undefined {
  const lacking: string[] = [];
  if (!pcscd) lacking.push('pcscd (Debian package pcscd)');
  if (!existsSync(VPCD_DRIVER)) lacking.push(`vsmartcard's vpcd driver ${VPCD_DRIVER} (Debian package vsmartcard-vpcd)`);
  try {
    loadPcsclite();
  } catch (error) {
    if (!(error instanceof PcscUnavailable)) throw error;
    lacking.push(`${error.message}`);
  }
  if (lacking.length > 0) return `needs ${lacking.join('; ')}`;
  if (existsSync(PCSCD_SOCKET)) return `a pcscd already runs (${PCSCD_SOCKET} exists): the test starts its own, with vpcd; stop the other one`;
  try {
    accessSync(path.dirname(path.dirname(PCSCD_SOCKET)), constants.W_OK);
  } catch {
    return `pcscd needs to create ${path.dirname(PCSCD_SOCKET)}: run as root`;
  }
  return undefined;
}

/** A port P with P and P + 1 free on all interfaces (vpcd listens on one per slot). */
async function freePortPair(): Promise<number> {
  const listen = (port: number) => new Promise<number | undefined>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await listen(0);
    if (port !== undefined && port < 0xffff && (await listen(port + 1)) !== undefined) return port;
  }
  throw new Error('no two free TCP ports in a row');
}

const pcscdPath = findPcscd();
const unavailable = missing(pcscdPath);

describe('a POS tap through PC/SC: pcscd → vpcd → the virtual strap (needs pcscd, vsmartcard-vpcd, @pokusew/pcsclite, root)', () => {
  let dir: string;
  let pcscd: ChildProcess | undefined;
  let pcscdLog = '';
  let pos: PcscPosReader;
  let rig: InProcessRig;
  let port: number;
  const sessions: { session: VpiccSession; end: VpiccEnd | 'still held' }[] = [];

  beforeAll(async () => {
    if (unavailable) return;
    dir = mkdtempSync(path.join(tmpdir(), 'strap-pcsc-'));
    port = await freePortPair();
    mkdirSync(path.join(dir, 'reader.conf.d'));
    // pcscd's reader.conf (reader.conf(5)): vpcd in server mode (/dev/null:PORT) waits for a virtual card on PORT.
    writeFileSync(path.join(dir, 'reader.conf.d', 'vpcd'), [
      `FRIENDLYNAME "${READER_NAME}"`,
      `DEVICENAME   /dev/null:${port}`,
      `LIBPATH      ${VPCD_DRIVER}`,
      `CHANNELID    ${port}`,
      '',
    ].join('\n'));
    pcscd = spawn(pcscdPath!, ['--foreground', '--auto-exit', '--config', path.join(dir, 'reader.conf.d')], { stdio: ['ignore', 'pipe', 'pipe'] });
    pcscd.stdout!.on('data', (b: Buffer) => (pcscdLog += b.toString()));
    pcscd.stderr!.on('data', (b: Buffer) => (pcscdLog += b.toString()));
    pos = await PcscPosReader.open({ readerName: `${READER_NAME} 00 00`, readerTimeoutMs: 10_000, cardTimeoutMs: 2500 });
    rig = await InProcessRig.open({
      posReader: (strap) => ({
        // The wearer holds the strap to the reader, the terminal runs its tap, then the strap goes away.
        tap: async (purchase) => {
          const heldAtMs = strap.clock.nowMs();
          const session = await holdToReader({ clock: strap.clock, field: strap.payment.field, port });
          const tap = await pos.tap(purchase);
          // The strap's time for the tap: its clock moves only while the vpicc carries the reader's requests, so
          // this is field on to the last answer as the strap lived it; the wall time pcscd and the simulator
          // took (tap.tapMs) is this machine's, not the strap's.
          const strapMs = strap.clock.nowMs() - heldAtMs;
          const end = await Promise.race([session.ended, new Promise<'still held'>((resolve) => setTimeout(() => resolve('still held'), 3000))]);
          session.takeAway();
          sessions.push({ session, end });
          await pos.reader.waitForNoCard(3000);
          return tap.outcome === 'no-card' ? tap : { ...tap, tapMs: strapMs };
        },
      }),
    });
    pos.note = (text) => rig.transcript.note(text);
    await rig.prepare();
  }, 60_000);

  afterAll(async () => {
    await rig?.close();
    pos?.close();
    if (pcscd && pcscd.exitCode === null) {
      const exited = new Promise((resolve) => pcscd!.once('exit', resolve));
      pcscd.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = async (scenario: Scenario) => {
    const result = await runScenario(rig, scenario, dir);
    if (result.status !== 'passed') {
      const log = result.artifacts.find((a) => a.endsWith('console.log'));
      throw new Error(`${scenario.name} ${result.status}: ${result.reason}\n${result.detail ?? ''}\n--- console\n${log ? readFileSync(log, 'utf8').slice(-3000) : ''}\n--- pcscd\n${pcscdLog.slice(-2000)}`);
    }
  };

  it('approves a 12.50 EUR tap: the HIL payment scenario (ARQC, issuer ARC 00, green, one buzz, the tap event and line with the ATC) with the terminal on PC/SC', { timeout: 60_000 }, async (context) => {
    if (unavailable) context.skip(unavailable);
    const before = sessions.length;
    await run(paymentScenario);
    // One RF session at the strap, ended by the reader powering the card down; its ISO 14443 trace like a virtual tap's.
    expect(sessions.slice(before).map((s) => s.end)).toEqual(['powered-off']);
    const [reader] = sessions[before]!.session.readers;
    const saved = reader!.trace.save(dir, 'pcsc-tap');
    const pcap = readPcap(readFileSync(saved.pcap));
    if (!pcap.ok) throw new Error(pcap.error.detail);
    expect(pcap.value.linkType).toBe(LINKTYPE_ISO_14443);
    expect(pcap.value.records.length).toBeGreaterThan(10); // more than activation's 8 frames (REQA … RATS/ATS): the kernel's APDUs in I-blocks
  });

  it('loses the field mid-tap: the reader powers the card down at the SELECT of the application; field-lost, the strap a failed tap, the next tap approved', { timeout: 60_000 }, async (context) => {
    if (unavailable) context.skip(unavailable);
    await run(paymentFieldLostScenario);
  });

  it('finds no card on a strap off the wrist (card emulation off: an empty ATR, pcscd reports no card) until the phone unlocks it again', { timeout: 60_000 }, async (context) => {
    if (unavailable) context.skip(unavailable);
    const before = sessions.length;
    await run(paymentOffWristScenario);
    expect(sessions.slice(before).map((s) => s.end)).toEqual(['no-card', 'no-card', 'powered-off']);
  });

  it("rejects the APDU in flight with FieldLost when the strap is taken away after the terminal connected (the reader gets no status word back)", { timeout: 60_000 }, async (context) => {
    if (unavailable) context.skip(unavailable);
    await rig.rpc.call('wearer.unlock');
    await rig.waitMs(500);
    const strap = rig.strap;
    const session = await holdToReader({ clock: strap.clock, field: strap.payment.field, port });
    const card = await pos.reader.waitForCard(3000);
    expect(card?.atr).toEqual(Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01));
    session.takeAway();
    expect(await session.ended).toBe('taken-away');
    const select = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x0e, ...new TextEncoder().encode('2PAY.SYS.DDF01'), 0x00]);
    await expect(card!.transceive(select)).rejects.toBeInstanceOf(FieldLost);
    await card!.release();
    expect(await pos.reader.waitForNoCard(3000)).toBe(true);
    await rig.waitMs(1000); // the strap hears the field go (a failed tap) before the next scenario
  });

  it('gives the bench rig its pos-reader from PCSC_READER: a board on a serial port, the terminal on the named reader (no strap on it: no-card)', { timeout: 60_000 }, async (context) => {
    if (unavailable) context.skip(unavailable);
    if (!findSocat()) context.skip('needs socat (the board on a pseudo-terminal)');
    const board = await startVirtualBoardOnTcp();
    let pty: PtyConsole | undefined;
    let bench: BenchRig | undefined;
    try {
      board.board.writeFile('.bootcde', readFileSync(BUNDLE_PATH, 'latin1'));
      board.board.hardReset();
      await board.waitForOutput(/boot #1/);
      const b = board.board;
      const consolePort: ConsolePort = { input: (bytes) => b.console.input(bytes), onOutput: (listener) => b.console.onOutput(listener) };
      pty = await startPtyConsole({ console: consolePort, linkPath: path.join(dir, 'ttyACM0') });
      bench = await BenchRig.open({ ...benchOptionsFromEnv({ HIL_PORT: pty.linkPath, PCSC_READER: `${READER_NAME} 00 00`, PCSC_CARD_TIMEOUT_MS: '300' }) });
      expect(bench.capabilities.has('pos-reader')).toBe(true);
      expect(bench.description).toContain(`a POS terminal on the PC/SC reader "${READER_NAME} 00 00"`);
      const tap = await bench.instrument('pos-reader').tap({ amountMinor: 1250 });
      expect(tap.outcome).toBe('no-card');
      expect(bench.transcript.slice(0)).toContain('# POS: no card');
    } finally {
      await bench?.close();
      await pty?.close();
      await board.stop();
    }
  });
});

describe("the bench rig's POS reader settings", () => {
  it('come from PCSC_READER (a part of the reader name; empty: the first reader), PCSC_ISSUER_SEED and PCSC_CARD_TIMEOUT_MS; without PCSC_READER there is none', () => {
    expect(benchOptionsFromEnv({ HIL_PORT: '/dev/ttyACM0', PCSC_READER: 'ACR122', PCSC_ISSUER_SEED: '7', PCSC_CARD_TIMEOUT_MS: '5000' })).toMatchObject({
      pcscReader: 'ACR122', pcscIssuerSeed: 7, pcscCardTimeoutMs: 5000,
    });
    expect(benchOptionsFromEnv({ HIL_PORT: '/dev/ttyACM0', PCSC_READER: '' }).pcscReader).toBe('');
    expect(benchOptionsFromEnv({ HIL_PORT: '/dev/ttyACM0', PCSC_ISSUER_SEED: 'bench-7' }).pcscIssuerSeed).toBe('bench-7');
    expect(benchOptionsFromEnv({ HIL_PORT: '/dev/ttyACM0' }).pcscReader).toBeUndefined();
  });
});
