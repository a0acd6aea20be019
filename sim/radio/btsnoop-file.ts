/**
 * A device's HCI traffic (its transport's records) as a btsnoop file
 * (protocols/ble/btsnoop), for Wireshark or tshark. Times are virtual.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeBtsnoop } from '../../protocols/ble/btsnoop/btsnoop';
import type { HciTransport } from './hci-transport';

export function writeBtsnoopFile(path: string, transport: HciTransport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodeBtsnoop(transport.records));
}
