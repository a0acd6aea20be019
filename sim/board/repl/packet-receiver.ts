/**
 * Reception of one host → board packet after DLE SOH (the IPS_PACKET_TRANSFER
 * states of Espruino's input handling): two header bytes, then exactly
 * `length` data bytes, taken raw — Ctrl-C, DLE, CR and every other byte are
 * data inside a packet. The 1 s timeout runs from the packet's start.
 */
import { decodePacketHeader, type PacketHeader } from '../../../protocols/espruino/packet';

export interface ReceivedPacket {
  type: number;
  /** latin1 */
  data: string;
}

export class PacketReceiver {
  private phase: 'idle' | 'header0' | 'header1' | 'data' = 'idle';
  private high = 0;
  private header: PacketHeader = { type: 0, length: 0 };
  private data = '';

  get active(): boolean {
    return this.phase !== 'idle';
  }

  /** DLE SOH seen: the next two bytes are the header. */
  begin(): void {
    this.phase = 'header0';
    this.data = '';
  }

  abort(): void {
    this.phase = 'idle';
    this.data = '';
  }

  /** Takes one byte; returns the packet once it is complete. */
  push(byte: number): ReceivedPacket | undefined {
    switch (this.phase) {
      case 'header0':
        this.high = byte;
        this.phase = 'header1';
        return undefined;
      case 'header1':
        this.header = decodePacketHeader(this.high, byte);
        this.phase = 'data';
        return this.completeIfDone();
      case 'data':
        this.data += String.fromCharCode(byte & 0xff);
        return this.completeIfDone();
      default:
        return undefined;
    }
  }

  private completeIfDone(): ReceivedPacket | undefined {
    if (this.data.length < this.header.length) return undefined;
    const packet = { type: this.header.type, data: this.data };
    this.abort();
    return packet;
  }
}
