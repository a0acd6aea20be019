/**
 * Where the BLE transport's HCI controller is (`--hci`): the host stack
 * (ble-host) runs in this process and speaks HCI to one of
 *
 * - `tcp:HOST:PORT` (or `tcp://HOST:PORT`): H4 over TCP, as `strap sim
 *   --hci-port` offers the virtual strap's air (sim/radio/h4-tcp-server.ts)
 *   and as HCI UART bridges and emulators do;
 * - `hciN`: a Linux Bluetooth controller through the kernel's HCI user
 *   channel (the `hci-socket` package, ble-host's own choice; needs
 *   CAP_NET_ADMIN and the controller not used by bluetoothd);
 * - a serial device path, optionally `@BAUD` (default 1000000, RTS/CTS on):
 *   an H4 UART controller, e.g. an nRF52840 dongle running Zephyr's
 *   `hci_uart` sample.
 */

export type HciSpec =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'user-channel'; devId: number }
  | { kind: 'serial'; path: string; baudRate: number };

/** Zephyr's hci_uart sample and most H4 UART controllers run at 1 Mbaud. */
export const DEFAULT_H4_BAUD = 1_000_000;

export function parseHciSpec(text: string): HciSpec {
  if (typeof text !== 'string' || text.trim() === '') throw new Error('no HCI controller given: expected tcp:HOST:PORT (strap sim --hci-port), hciN or a serial device path');
  const tcp = /^tcp:(?:\/\/)?(\[[^\]]+\]|[^:/[\]]+):(\d{1,5})\/?$/i.exec(text);
  if (/^tcp:/i.test(text)) {
    const port = Number(tcp?.[2]);
    if (!tcp || port < 1 || port > 65535) throw new Error(`bad HCI controller ${JSON.stringify(text)}: expected tcp:HOST:PORT with a port 1-65535`);
    return { kind: 'tcp', host: tcp[1]!.replace(/^\[|\]$/g, ''), port };
  }
  const hci = /^hci(\d{1,3})$/i.exec(text);
  if (hci) return { kind: 'user-channel', devId: Number(hci[1]) };
  const serial = /^(.+?)(?:@(\d+))?$/.exec(text)!;
  const baudRate = serial[2] === undefined ? DEFAULT_H4_BAUD : Number(serial[2]);
  if (!(baudRate > 0)) throw new Error(`bad HCI controller ${JSON.stringify(text)}: the baud rate after @ must be > 0`);
  return { kind: 'serial', path: serial[1]!, baudRate };
}
