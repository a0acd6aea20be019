/**
 * An HCI controller as ble-host takes it: `write(Buffer)` with one whole H4
 * packet, `'data'` with one whole H4 packet per event or ACL packet (ble-host's
 * README, "Transport"). A byte stream (TCP, a UART) is split into packets with
 * protocols/ble/hci/h4.ts; the Linux user channel delivers packets already.
 * `'close'` says the controller went away (socket closed, adapter unplugged).
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import net from 'node:net';
import { SerialPort } from 'serialport';
import { H4Splitter, encodeH4 } from '../../../protocols/ble/hci/h4';
import { errorText } from '../transport-errors';
import type { HciSpec } from './hci-spec';

export interface HciLink extends EventEmitter {
  /** What the user gave, for messages. */
  readonly name: string;
  write(packet: Buffer): void;
  close(): void;
}

const CONNECT_LIMIT_MS = 5000;

export async function openHciLink(spec: HciSpec, name: string): Promise<HciLink> {
  if (spec.kind === 'tcp') return openStream(name, await tcpStream(spec.host, spec.port));
  if (spec.kind === 'serial') return openStream(name, await serialStream(spec.path, spec.baudRate));
  return openUserChannel(name, spec.devId);
}

interface ByteStream {
  write(bytes: Buffer): void;
  onData(listener: (bytes: Buffer) => void): void;
  onClose(listener: (why: string) => void): void;
  destroy(): void;
}

function openStream(name: string, stream: ByteStream): HciLink {
  const link = Object.assign(new EventEmitter(), {
    name,
    write: (packet: Buffer) => stream.write(packet),
    close: () => stream.destroy(),
  });
  const splitter = new H4Splitter();
  stream.onData((bytes) => {
    const { packets, error } = splitter.push(new Uint8Array(bytes));
    for (const p of packets) link.emit('data', Buffer.from(encodeH4(p.type, p.packet)));
    // H4 cannot find the next packet boundary after garbage (Vol 4 Part A 2): the link is lost
    if (error) {
      stream.destroy();
      link.emit('close', `the controller sent bytes that are not H4 (${error.message})`);
    }
  });
  stream.onClose((why) => link.emit('close', why));
  return link;
}

function tcpStream(host: string, port: number): Promise<ByteStream> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${CONNECT_LIMIT_MS} ms`));
    }, CONNECT_LIMIT_MS);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      resolve({
        write: (bytes) => socket.write(bytes),
        onData: (listener) => socket.on('data', listener),
        onClose: (listener) => socket.once('close', () => listener('the H4 server closed the connection')),
        destroy: () => socket.destroy(),
      });
    });
  });
}

function serialStream(path: string, baudRate: number): Promise<ByteStream> {
  return new Promise((resolve, reject) => {
    // H4 over a UART needs hardware flow control (Core v5.4 Vol 4 Part A 1)
    const port = new SerialPort({ path, baudRate, rtscts: true, autoOpen: false });
    port.open((error) => {
      if (error) return reject(error);
      port.on('error', () => undefined);
      resolve({
        write: (bytes) => void port.write(bytes),
        onData: (listener) => port.on('data', listener),
        onClose: (listener) => port.once('close', () => listener(`${path} closed (unplugged?)`)),
        destroy: () => {
          if (port.isOpen) port.close();
        },
      });
    });
  });
}

interface HciSocketModule {
  new (devId: number): EventEmitter & { write(data: Buffer): void; close(): void };
}

function openUserChannel(name: string, devId: number): HciLink {
  let HciSocket: HciSocketModule;
  try {
    HciSocket = createRequire(import.meta.url)('hci-socket') as HciSocketModule;
  } catch (error) {
    throw new Error(`the Linux HCI user channel needs the hci-socket package (npm install hci-socket): ${errorText(error)}`, { cause: error });
  }
  // throws ENODEV (no such controller) or EPERM (no CAP_NET_ADMIN) at once
  const socket = new HciSocket(devId);
  const link = Object.assign(new EventEmitter(), {
    name,
    write: (packet: Buffer) => socket.write(packet),
    close: () => socket.close(),
  });
  socket.on('data', (packet: Buffer) => link.emit('data', packet));
  socket.on('close', () => link.emit('close', `hci${devId} went away`));
  return link;
}
