/**
 * The virtual strap held to a PC/SC reader: the virtual field's card side
 * (the NFC controller's antenna and the SE behind it) as a virtual card of
 * vsmartcard's virtual reader driver vpcd, so that `pcscd → vpcd → this`
 * carries a PC/SC client's APDUs (the terminal kernel on a PcscReader,
 * sim/pos/pcsc-reader.ts) to the strap's secure element through its NFC
 * controller, as a real contactless reader carries them through the air.
 *
 * It plays the part of the reader's RF front end that PC/SC hides: the card
 * connects to vpcd (protocols/pcsc/vpcd.ts) when the strap is held to the
 * reader, and then
 *
 *  - get ATR / power on: the reader's field comes up (`VirtualField.enter`)
 *    and polls (anticollision, RATS/ATS: `Reader.activate`) unless a card is
 *    already active; the ATR is the one a PC/SC reader builds from the ATS
 *    (protocols/pcsc/contactless-atr.ts). No card answering (card emulation
 *    off) is an empty ATR: vpcd drops the connection and pcscd reports the
 *    reader empty, as a real reader with a strap that does not answer;
 *  - an APDU: carried over the ISO-DEP link (chaining, WTX, the air time at
 *    106 kbit/s and the SE's processing time on the virtual clock) and its
 *    answer sent back; a field lost meanwhile drops the connection (the
 *    client's transmit fails as on a card that left);
 *  - reset: the field goes off and comes up again;
 *  - power off (SCardDisconnect with SCARD_UNPOWER_CARD): the field goes off
 *    and the wearer takes the strap away (the connection closes), so the
 *    firmware sees one field per tap.
 *
 * Each message runs the virtual clock until its answer (settle), one at a
 * time in arrival order; between them the virtual clock stands still, so the
 * real time pcscd takes does not show in the strap's timeline.
 */
import { connect, type Socket } from 'node:net';
import { decodeVpcdMessage, encodeVpcdMessage, splitVpcdStream, VPCD_DEFAULT_PORT } from '../../protocols/pcsc/vpcd';
import { atsHistoricalBytes, contactlessAtr } from '../../protocols/pcsc/contactless-atr';
import { concatBytes } from '../../protocols/bytes';
import type { VirtualClock } from '../clock/virtual-clock';
import { FieldLost, type ReaderLink } from './contactless';
import type { Reader, VirtualField } from './field';
import { settle } from './settle';

export interface VpiccOptions {
  clock: VirtualClock;
  field: VirtualField;
  /** Where vpcd listens: default 127.0.0.1 and vpcd's default port (35963). */
  host?: string;
  port?: number;
}

/** How the card's time at the reader ended. */
export type VpiccEnd = 'powered-off' | 'no-card' | 'field-lost' | 'taken-away' | 'vpcd-closed';

export interface VpiccSession {
  /** Each RF session (the reader's field up until it went) in order, with its trace. */
  readonly readers: readonly Reader[];
  /** Resolves once the strap is away from the reader, and why. */
  readonly ended: Promise<VpiccEnd>;
  /** The wearer takes the strap away now. */
  takeAway(): void;
}

/** Holds the strap to vpcd's reader: resolves once connected (the reader sees a card arrive on its next poll). */
export function holdToReader(options: VpiccOptions): Promise<VpiccSession> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host ?? '127.0.0.1', port: options.port ?? VPCD_DEFAULT_PORT });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(new VpiccCard(socket, options).session);
    });
  });
}

class VpiccCard {
  readonly session: VpiccSession;
  private readonly readers: Reader[] = [];
  private reader: Reader | undefined;
  private link: ReaderLink | undefined;
  private atr: Uint8Array = new Uint8Array(0);
  private buffered: Uint8Array = new Uint8Array(0);
  private queue: Promise<void> = Promise.resolve();
  private finished: VpiccEnd | undefined;
  private resolveEnded!: (end: VpiccEnd) => void;

  constructor(private readonly socket: Socket, private readonly options: VpiccOptions) {
    const ended = new Promise<VpiccEnd>((resolve) => (this.resolveEnded = resolve));
    this.session = { readers: this.readers, ended, takeAway: () => this.end('taken-away') };
    socket.on('data', (chunk) => {
      const { messages, rest } = splitVpcdStream(concatBytes(this.buffered, chunk));
      this.buffered = rest;
      for (const message of messages) this.queue = this.queue.then(() => this.handle(message)).catch(() => this.end('vpcd-closed'));
    });
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => this.end('vpcd-closed'));
  }

  private async handle(payload: Uint8Array): Promise<void> {
    if (this.finished) return;
    const message = decodeVpcdMessage(payload);
    switch (message.kind) {
      case 'get-atr': {
        const link = await this.activate();
        this.send(link ? this.atr : new Uint8Array(0));
        if (!link) this.end('no-card');
        return;
      }
      case 'power-on':
        await this.activate();
        return;
      case 'reset':
        this.fieldOff();
        await this.activate();
        return;
      case 'power-off':
        this.end('powered-off');
        return;
      case 'apdu': {
        const link = this.link;
        if (!link) return this.end('field-lost');
        try {
          this.send(await settle(this.options.clock, link.transceive(message.apdu)));
        } catch (error) {
          if (!(error instanceof FieldLost)) throw error;
          this.end('field-lost');
        }
        return;
      }
      case 'unknown-control':
        return;
    }
  }

  /** The reader's field up and a card activated in it: the link, or undefined when nothing answered. */
  private async activate(): Promise<ReaderLink | undefined> {
    if (this.link && this.reader?.inField()) return this.link;
    this.fieldOff();
    const reader = this.options.field.enter();
    this.reader = reader;
    this.readers.push(reader);
    const link = await settle(this.options.clock, reader.activate());
    if (!link || !reader.ats) {
      this.fieldOff();
      return undefined;
    }
    this.link = link;
    this.atr = contactlessAtr(atsHistoricalBytes(reader.ats) ?? new Uint8Array(0));
    return link;
  }

  private fieldOff(): void {
    this.reader?.leave();
    this.reader = undefined;
    this.link = undefined;
  }

  private send(payload: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(encodeVpcdMessage(payload));
  }

  private end(why: VpiccEnd): void {
    if (this.finished) return;
    this.finished = why;
    this.fieldOff();
    this.socket.end();
    this.resolveEnded(why);
  }
}
