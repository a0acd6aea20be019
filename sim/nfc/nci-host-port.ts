/**
 * The controller's host interface: NCI packets over I2C with an IRQ line, as
 * NXP's PN7150 user manual describes it (UM10936 rev 2.06, chapter 3 "DH
 * interface"):
 *  - 3.1: slave-only, 7-bit address 0x28-0x2B chosen by the I2C_ADDR0/1 pins
 *    (Table 3); 0x28 with both pins low.
 *  - 3.2: no framing is added: one I2C write carries one NCI packet "as is"
 *    (header, payload; no CRC).
 *  - 3.4: the controller raises IRQ when it has a packet for the DH and
 *    lowers it when the DH has read it; with another packet ready, IRQ goes
 *    low at the end of the read and high again.
 *  - 3.5 split mode: the DH may read the 3-byte header first, then the
 *    payload whose length it now knows, in a second read; reading fewer bytes
 *    than the packet leaves IRQ high.
 * A read of more bytes than remain gets the rest of the packet then zeros (the
 * bus pads). A read with nothing pending returns nothing (the real part NACKs
 * its address; the virtual bus cannot, so the DH sees zeros and an IRQ low).
 */
import type { PinBus } from '../board/buses/pin-bus';
import type { VirtualClock } from '../clock/virtual-clock';
import type { NciLog } from './nci-log';

export const PN7150_I2C_ADDRESS = 0x28;

export interface NciHostPortOptions {
  clock: VirtualClock;
  log: NciLog;
  pins?: PinBus;
  irqPin?: number;
}

export class NciHostPort {
  private readonly outbound: Uint8Array[] = [];
  /** Bytes of the head packet already read (split mode). */
  private readOffset = 0;
  private irq = false;

  constructor(private readonly options: NciHostPortOptions) {
    this.driveIrq(false);
  }

  /** A packet for the DH: queued, IRQ up. */
  send(packet: Uint8Array): void {
    this.options.log.record(this.nowUs(), 'NFCC>DH', packet);
    this.outbound.push(packet);
    if (!this.irq) this.driveIrq(true);
  }

  /** The DH's I2C read of `length` bytes. */
  read(length: number): Uint8Array {
    const head = this.outbound[0];
    if (!head || length <= 0) return new Uint8Array(0);
    const chunk = head.slice(this.readOffset, this.readOffset + length);
    this.readOffset += chunk.length;
    if (this.readOffset >= head.length) {
      this.outbound.shift();
      this.readOffset = 0;
      this.driveIrq(false);
      if (this.outbound.length > 0) this.driveIrq(true);
    }
    return chunk;
  }

  irqActive(): boolean {
    return this.irq;
  }

  pendingPackets(): number {
    return this.outbound.length;
  }

  /** VEN low or a reset: everything unread is gone. */
  flush(): void {
    this.outbound.length = 0;
    this.readOffset = 0;
    this.driveIrq(false);
  }

  logInbound(bytes: Uint8Array): void {
    this.options.log.record(this.nowUs(), 'DH>NFCC', bytes);
  }

  private nowUs(): number {
    return Math.round(this.options.clock.nowMs() * 1000);
  }

  private driveIrq(level: boolean): void {
    this.irq = level;
    const { pins, irqPin } = this.options;
    if (pins && irqPin !== undefined) pins.drive(irqPin, level);
  }
}
