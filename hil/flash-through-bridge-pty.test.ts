// Flashing through the host bridge over a real pseudo-terminal opened by
// serialport (the path the espruino CLI cannot open), with the link paced
// like a 115200 baud UART: the real bundle goes in, the banner comes back,
// and the board boots it again after a power cycle.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withVersion } from './mini-firmware';
import { connectConsole, type EspruinoConsoleClient } from '../host-bridge/console/index';
import { flashFirmware } from '../host-bridge/flash/index';
import { startPtyConsole, type PtyConsole } from '../sim/board/console/links/pty-console';
import { findSocat } from '../sim/board/console/links/socat-binary';
import { startVirtualBoardOnTcp, type VirtualBoardOnTcp } from './rigs/virtual/virtual-board-on-tcp';
import { BUNDLE_PATH } from '../firmware/build/outputs';

const BUNDLE = readFileSync(BUNDLE_PATH, 'latin1');

let dir: string | undefined;
let rig: VirtualBoardOnTcp | undefined;
let link: PtyConsole | undefined;
let client: EspruinoConsoleClient | undefined;
afterEach(async () => {
  await client?.close().catch(() => undefined);
  await link?.close();
  await rig?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  rig = link = client = dir = undefined;
});

describe.skipIf(!findSocat())('flashing through the host bridge over a pseudo-terminal (serialport; needs socat)', () => {
  it('uploads dist/strap.js at 115200 baud, the banner comes back, and it boots again after a power cycle', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'strap-flash-pty-'));
    rig = await startVirtualBoardOnTcp();
    rig.board.writeFile('.bootcde', BUNDLE);
    rig.board.hardReset();
    link = await startPtyConsole({
      console: rig.console,
      linkPath: path.join(dir, 'ttyStrap0'),
      baudRate: 115_200,
    });
    client = await connectConsole(link.linkPath, { baudRate: 115_200 });
    const next = withVersion(BUNDLE, '0.1.0', '0.2.0');
    const result = await flashFirmware(client, { bundle: next });
    expect(result.banner).toMatch(/^strap 0\.2\.0 on PUCKJS \(Espruino 2v29\), boot #2$/);
    expect(rig.board.readFile(result.slot)).toBe(next);
    rig.board.powerCycle(100);
    await rig.waitForOutput(/strap 0\.2\.0 on PUCKJS \(Espruino 2v29\), boot #3/);
  }, 60_000);
});
