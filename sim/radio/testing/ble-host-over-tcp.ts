/**
 * Another process's host stack for the H4-over-TCP test: Node's own
 * ble-host (the npm package as any application loads it), over a TCP socket
 * to a virtual controller. Initialises, then advertises connectable as
 * "remote" and prints one JSON line (or the error). Runs until killed.
 * Usage: tsx ble-host-over-tcp.ts <port>
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import { H4Splitter } from '../../../protocols/ble/hci/h4';
import type { BleHost } from '../ble-host-api';

const bleHost = createRequire(import.meta.url)('ble-host') as BleHost;
const socket = net.connect(Number(process.argv[2]), '127.0.0.1');
const splitter = new H4Splitter();
const transport = Object.assign(new EventEmitter(), { write: (packet: Uint8Array) => socket.write(packet) });
socket.on('data', (chunk: Buffer) => {
  for (const p of splitter.push(new Uint8Array(chunk)).packets) transport.emit('data', Buffer.from([p.type, ...p.packet]));
});
socket.on('connect', () => {
  bleHost.BleManager.create(transport, {}, (err, manager) => {
    if (err) {
      process.stdout.write(`${JSON.stringify({ error: err.message })}\n`);
      process.exit(1);
    }
    manager.setAdvertisingData(new bleHost.AdvertisingDataBuilder().addFlags(['leGeneralDiscoverableMode']).addLocalName(true, 'remote').build());
    manager.startAdvertising({}, () => undefined);
    process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
  });
});
