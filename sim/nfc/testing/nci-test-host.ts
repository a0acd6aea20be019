/**
 * Test support: the DH side of NCI over I2C as a real host driver runs it
 * (write a command packet; when IRQ rises, read the 3-byte header, then the
 * payload), on the virtual clock; and a pin bus that records the IRQ line.
 */
import type { I2CBus } from '../../board/buses/i2c-bus';
import type { PinBus } from '../../board/buses/pin-bus';
import type { PinListener } from '../../board/board-events';
import type { VirtualClock } from '../../clock/virtual-clock';
import { decodePacket, HEADER_BYTES, reassemble, EMPTY_REASSEMBLY } from '../../../protocols/nci/packet';
import type { Message, Reassembly } from '../../../protocols/nci/packet';
import type { MessageCodec } from '../../../protocols/nci/payload';
import { PN7150_I2C_ADDRESS } from '../nci-host-port';
import { ConfigParam, RfTechMode, messageName } from '../../../protocols/nci/identifiers';
import * as core from '../../../protocols/nci/core';
import * as rf from '../../../protocols/nci/rf';
import * as nfcee from '../../../protocols/nci/nfcee';

export class RecordingPins implements PinBus {
  readonly levels = new Map<number, boolean | undefined>();
  readonly history: Array<{ pin: number; level: boolean | undefined }> = [];
  level(pin: number): boolean {
    return this.levels.get(pin) ?? false;
  }
  drive(pin: number, level: boolean | undefined): void {
    this.levels.set(pin, level);
    this.history.push({ pin, level });
  }
  onChange(_listener: PinListener): () => void {
    return () => undefined;
  }
}

export class TestNciHost {
  private reassembly: Reassembly = EMPTY_REASSEMBLY;

  constructor(readonly bus: I2CBus, readonly clock: VirtualClock, readonly irq: () => boolean, readonly address = PN7150_I2C_ADDRESS) {}

  write(packet: Uint8Array): number {
    return this.bus.write(this.address, packet);
  }

  /** Lets virtual time run `ms`, reading every packet IRQ announces; returns the whole messages received. */
  receive(ms = 2): Message[] {
    const messages: Message[] = [];
    const end = this.clock.nowMs() + ms;
    for (;;) {
      while (this.irq()) {
        const header = this.bus.read(this.address, HEADER_BYTES);
        if (typeof header === 'number') throw new Error(`I2C read error ${header}`);
        const rest = this.bus.read(this.address, header[2]!);
        if (typeof rest === 'number') throw new Error(`I2C read error ${rest}`);
        const bytes = new Uint8Array(HEADER_BYTES + header[2]!);
        bytes.set(header);
        bytes.set(rest, HEADER_BYTES);
        const packet = decodePacket(bytes);
        if (!packet.ok) throw new Error(`controller sent a bad packet: ${packet.error.detail}`);
        const folded = reassemble(this.reassembly, packet.value);
        if (!folded.ok) throw new Error(folded.error.detail);
        this.reassembly = folded.state;
        if (folded.message) messages.push(folded.message);
      }
      const next = this.clock.nextDeadlineMs();
      if (next === undefined || next > end) break;
      this.clock.runNext();
    }
    this.clock.advanceTo(Math.max(end, this.clock.nowMs()));
    return messages;
  }

  /** Sends one command (its packets) and returns what came back within `ms`. */
  command<T>(codec: MessageCodec<T>, value: T, ms = 2): Message[] {
    for (const packet of codec.encode(value)) this.write(packet);
    return this.receive(ms);
  }
}

/** The messages of `codec` among `messages`, decoded (throws when one does not parse). */
export function pick<T>(messages: Message[], codec: MessageCodec<T>): T[] {
  return messages.filter((m) => codec.matches(m)).map((m) => {
    const d = codec.decodePayload(m.payload);
    if (!d.ok) throw new Error(`${d.error.field}: ${d.error.detail}`);
    return d.value;
  });
}

/** 'RSP CORE_RESET', 'NTF RF_FIELD_INFO': the type and name of each message, for assertions. */
export function kinds(messages: Message[]): string[] {
  return messages.map((m) => (m.kind === 'data' ? `DATA ${m.connId}` : `${['', 'CMD', 'RSP', 'NTF'][m.mt]} ${messageName(m.gid, m.oid)}`));
}

/** A response's status octet. */
export function statusOf(message: Message | undefined): number | undefined {
  return message?.payload[0];
}

export const PPSE_AID = Uint8Array.from([...'2PAY.SYS.DDF01'].map((ch) => ch.charCodeAt(0)));
export const VISA_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10);

/**
 * The sequence a DH sends to make the controller emulate a card with its SE
 * (as Android's NFC stack does it for off-host routing): reset, init, field
 * notifications on, NFCEE discover, NFCEE mode set enable, routing (PPSE and
 * the payment AID to the SE, and an empty-AID default route to it), discover
 * with Listen NFC-A. Returns every message the controller sent.
 */
export function bringUpToListen(host: TestNciHost, nfceeId: number): Message[] {
  const all: Message[] = [];
  all.push(...host.command(core.CORE_RESET_CMD, { resetType: 1 }));
  all.push(...host.command(core.CORE_INIT_CMD, { featureEnable: 0 }));
  all.push(...host.command(core.CORE_SET_CONFIG_CMD, { parameters: [{ id: ConfigParam.RF_FIELD_INFO, value: Uint8Array.of(1) }] }));
  all.push(...host.command(nfcee.NFCEE_DISCOVER_CMD, {}));
  all.push(...host.command(nfcee.NFCEE_MODE_SET_CMD, { nfceeId, mode: nfcee.NfceeMode.ENABLE }));
  const on = rf.RoutePowerState.SWITCHED_ON;
  all.push(...host.command(rf.RF_SET_LISTEN_MODE_ROUTING_CMD, {
    more: false,
    entries: [
      { type: 'aid', qualifiers: 0, route: nfceeId, powerState: on, aid: PPSE_AID },
      { type: 'aid', qualifiers: 0, route: nfceeId, powerState: on, aid: VISA_AID },
      { type: 'aid', qualifiers: 0, route: nfceeId, powerState: on, aid: new Uint8Array(0) },
    ],
  }));
  all.push(...host.command(rf.RF_DISCOVER_CMD, { configurations: [{ techMode: RfTechMode.NFC_A_PASSIVE_LISTEN, frequency: 1 }] }));
  return all;
}
