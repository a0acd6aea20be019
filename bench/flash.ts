/**
 * Flash upload throughput through the host bridge (host-bridge/flash): the
 * real bundle into a virtual board paced to the wall clock, over a
 * pseudo-terminal paced like a UART at 9600 and 115200 baud (8N1: baud / 10
 * bytes a second is the line's limit) and over TCP (no line limit: absolute).
 *
 * Goal on a UART: ≥ 80 % of the line. The 2v25+ packet upload costs 4 header
 * bytes per DATA packet (≤ 1 KB, ≤ ½ s of line time) plus one ACK round trip;
 * that is a few per cent, so less than 80 % means the flasher leaves the line
 * idle (waiting on timers, tiny writes), not that the line is full.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectConsole } from '../host-bridge/console/index';
import { flashFirmware, type FlashResult } from '../host-bridge/flash/index';
import { startVirtualBoardOnTcp } from '../hil/rigs/virtual/virtual-board-on-tcp';
import { startPtyConsole } from '../sim/board/console/links/pty-console';
import { findSocat } from '../sim/board/console/links/socat-binary';
import { startStrapOnHci } from '../sim/phone/strap-on-hci';
import { runVirtualPairing } from '../sim/phone/virtual-pairing';
import type { Figure } from './energy';
import { BUNDLE_PATH } from '../firmware/build/outputs';

const LINE_GOAL = 0.8;
const TCP_GOAL_BYTES_PER_S = 50_000;

export async function runFlashBench(): Promise<Figure[]> {
  const bundle = readFileSync(BUNDLE_PATH, 'latin1');
  const figures: Figure[] = [];
  if (findSocat()) {
    for (const baudRate of [9600, 115_200]) {
      const result = await flashOverPty(bundle, baudRate);
      const lineBytesPerS = baudRate / 10;
      const ratio = result.uploadBytesPerSecond / lineBytesPerS;
      figures.push({
        name: `flash upload over a pty at ${baudRate} baud (${(bundle.length / 1024).toFixed(1)} KB)`,
        value: `${Math.round(result.uploadBytesPerSecond)} B/s = ${(ratio * 100).toFixed(0)} % of the line; whole flash ${(result.elapsedMs / 1000).toFixed(1)} s`,
        goal: `≥ ${LINE_GOAL * 100} % of ${lineBytesPerS} B/s`,
        met: ratio >= LINE_GOAL,
      });
    }
  } else {
    figures.push({ name: 'flash upload over a pty', value: 'skipped: socat not installed', goal: `≥ ${LINE_GOAL * 100} % of the line`, met: false });
  }
  figures.push(...(await flashOverBle(bundle)));
  const tcp = await flashOverTcp(bundle);
  figures.push({
    name: `flash upload over TCP (${(bundle.length / 1024).toFixed(1)} KB)`,
    value: `${Math.round(tcp.uploadBytesPerSecond / 1000)} KB/s; whole flash ${Math.round(tcp.elapsedMs)} ms`,
    goal: `≥ ${TCP_GOAL_BYTES_PER_S / 1000} KB/s`,
    met: tcp.uploadBytesPerSecond >= TCP_GOAL_BYTES_PER_S,
  });
  return figures;
}

/** What the upload can carry at best over BLE, and the share of it the flash must reach. */
const BLE_GOAL = 0.5;

/**
 * dist/strap.js flashed over BLE (host-bridge/transports/ble-transport.ts) into the virtual strap that `strap pair`
 * paired, in real time (pace 1), its air reached as H4 over TCP (sim/phone/strap-on-hci.ts). Figures in virtual time.
 *
 * The bound: the transport writes as Espruino's tools do, one Write Request of ATT_MTU − 3 octets at a time, the
 * next once the Write Response is back (EspruinoTools core/serial_noble.js). The strap answers the MTU exchange with
 * 23, Espruino's NRF_SDH_BLE_GATT_MAX_MTU_SIZE on a Puck.js (sim/softdevice/espruino-build.ts), so 20 octets a write.
 * A request goes out in one connection event and its response comes back at the earliest in the next (Core v5.4
 * Vol 3 Part F 3.4.5.1; the SoftDevice answers from the host, not inside the event that carried the request), so
 * at best one write every 2 connection intervals: 20 octets / (2 × 7.5 ms) = 1.33 kB/s at the 7.5 ms interval the
 * transport asks. The Espruino packet upload adds 4 header octets and an ACK round trip (≥ 2 intervals) per DATA
 * packet, 312 octets over BLE at MTU 23 (½ s of writes at 15 ms, host-bridge/flash/index.ts; 316 octets, 16 writes,
 * 32 intervals): ≈ 0.9 of the bound; the goal is half of it.
 */
async function flashOverBle(bundle: string): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'strap-ble-flash-bench-'));
  try {
    const stateDir = path.join(dir, 'state');
    const paired = await runVirtualPairing({ bootCode: bundle, seed: 1, stateDir, traceDir: path.join(dir, 'traces') });
    if (!paired.ok) return [{ name: 'flash over BLE', value: `not paired: ${paired.error?.reason}`, goal: 'a flash', met: false }];
    const strap = await startStrapOnHci({ bootCode: bundle, seed: 1, stateDir, pace: 1 });
    try {
      const client = await connectConsole(`ble:${strap.address}`, { ble: { hci: strap.hci, bondDir: strap.bondDir }, timeoutMs: 10_000 });
      const link = [...strap.air.links][0];
      const intervalMs = link?.intervalMs ?? 7.5;
      const mtu = (client.transport as unknown as { mtu: number }).mtu;
      const writeBytes = mtu - 3;
      const boundBytesPerS = writeBytes / ((2 * intervalMs) / 1000);
      let uploadFrom: number | undefined;
      let uploadTo = 0;
      let uploadBytes = 0;
      const started = strap.clock.nowMs();
      const result = await flashFirmware(client, {
        bundle,
        onProgress: (p) => {
          if (p.phase !== 'upload') return;
          uploadFrom ??= strap.clock.nowMs();
          uploadTo = strap.clock.nowMs();
          uploadBytes = p.sentBytes;
        },
      });
      const wholeS = (strap.clock.nowMs() - started) / 1000;
      await client.close();
      const uploadS = (uploadTo - (uploadFrom ?? uploadTo)) / 1000;
      const perS = uploadS > 0 ? uploadBytes / uploadS : 0;
      const ratio = perS / boundBytesPerS;
      return [
        {
          name: `flash over BLE (${(result.bytes / 1024).toFixed(1)} KB, ${intervalMs} ms interval, ${writeBytes}-octet Write Requests)`,
          value: `upload ${(perS / 1000).toFixed(2)} kB/s = ${ratio.toFixed(2)} of ${(boundBytesPerS / 1000).toFixed(1)} kB/s; whole flash ${wholeS.toFixed(1)} s`,
          goal: `≥ ${BLE_GOAL} of one write per 2 intervals`,
          met: ratio >= BLE_GOAL,
        },
      ];
    } finally {
      await strap.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function flashOverPty(bundle: string, baudRate: number): Promise<FlashResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'strap-flash-bench-'));
  const rig = await startVirtualBoardOnTcp();
  rig.board.writeFile('.bootcde', bundle);
  rig.board.hardReset();
  const link = await startPtyConsole({
    console: rig.console,
    linkPath: path.join(dir, 'ttyStrap0'),
    baudRate,
  });
  const client = await connectConsole(link.linkPath, { baudRate, timeoutMs: 10_000 });
  try {
    return await flashFirmware(client, { bundle, bannerTimeoutMs: 30_000 });
  } finally {
    await client.close().catch(() => undefined);
    await link.close();
    await rig.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function flashOverTcp(bundle: string): Promise<FlashResult> {
  const rig = await startVirtualBoardOnTcp();
  rig.board.writeFile('.bootcde', bundle);
  rig.board.hardReset();
  const client = await connectConsole(rig.tcp.url);
  try {
    return await flashFirmware(client, { bundle });
  } finally {
    await client.close().catch(() => undefined);
    await rig.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await runFlashBench()) console.log(`${f.met ? 'ok ' : 'MISS'} ${f.name}: ${f.value} (goal ${f.goal})`);
}
