/**
 * A virtual BLE controller: HCI over H4 towards its host (Core v5.4 Vol 4
 * Part E), the air (air.ts) on the other side. It answers every command with
 * Command Complete or Command Status carrying the same opcode, one at a time
 * (Num_HCI_Command_Packets 1), an opcode it does not implement with Command
 * Complete status Unknown HCI Command (0x01, Vol 4 Part E 4.5), parameters
 * that do not decode with Invalid HCI Command Parameters (0x12). It never
 * sends Hardware Error (ble-host 1.0.3 crashes on it).
 *
 * Commands that only read or set state are here; those that drive the air
 * (advertising, scanning, connecting, encryption, disconnect) end in
 * `le-commands.ts` and the connection.
 */
import { decodeH4, encodeH4, H4PacketType } from '../../protocols/ble/hci/h4';
import { decodeAcl, decodeCommand, encodeAcl, PacketBoundary } from '../../protocols/ble/hci/packets';
import { commandInfo } from '../../protocols/ble/hci/opcodes';
import { completeEvent, numberOfCompletedPacketsEvent, statusEvent } from '../../protocols/ble/hci/event-params';
import { StatusOnlyReturn } from '../../protocols/ble/hci/command-params';
import { HciStatus } from '../../protocols/ble/hci/status';
import { Llid } from '../../protocols/ble/ll/control-pdu';
import { addressFromString } from '../../protocols/ble/bytes';
import { HciTransport } from './hci-transport';
import { defaultAdvertising, defaultScan } from './controller-state';
import type { AddressEntry, CommandTarget, InitiatingState } from './controller-state';
import { handleCommand } from './commands';
import type { LinkEnd, LinkEndpoint, RadioMedium } from './link-types';
import type { RadioActivity, RadioActivityListener } from './radio-activity';

export interface ControllerOptions {
  /** Names the device in air traces. */
  name: string;
  /** The public BD_ADDR Read_BD_ADDR returns, `AA:BB:CC:DD:EE:FF`. */
  publicAddress: string;
  /** LE ACL buffers offered to the host (LE_Read_Buffer_Size): octets each, default 27 (one LL PDU). */
  aclBufferLength?: number;
  /** How many, default 8 (our choice; a controller's own figure). */
  aclBufferCount?: number;
}

export class VirtualController implements LinkEndpoint, CommandTarget {
  readonly name: string;
  readonly transport: HciTransport;
  readonly publicAddress: Uint8Array;
  readonly aclBufferLength: number;
  readonly aclBufferCount: number;
  randomAddress = new Uint8Array(6);
  adv = defaultAdvertising();
  scan = defaultScan();
  initiating: InitiatingState | undefined;
  acceptList: AddressEntry[] = [];
  readonly links = new Map<number, LinkEnd>();
  /** Hears each radio event of this device (radio-activity.ts); the power model's hook. */
  onActivity: RadioActivityListener | undefined;
  /** Host packets that were not H4 or HCI (kept for tests; answered where the protocol has an answer). */
  readonly malformed: string[] = [];
  private isPowered = true;
  private nextHandle = 1;
  private pendingCompleted = new Map<number, number>();

  constructor(
    readonly medium: RadioMedium,
    options: ControllerOptions,
  ) {
    this.name = options.name;
    this.publicAddress = addressFromString(options.publicAddress);
    this.aclBufferLength = options.aclBufferLength ?? 27;
    this.aclBufferCount = options.aclBufferCount ?? 8;
    this.transport = new HciTransport(medium.clock);
    this.transport.onHostPacket((packet) => this.fromHost(packet));
  }

  get powered(): boolean {
    return this.isPowered;
  }

  /** Power cut: the controller goes silent on HCI and on the air; its peers find out by supervision timeout. */
  powerOff(): void {
    if (!this.isPowered) return;
    this.isPowered = false;
    this.transport.setListening(false);
    this.resetState();
  }

  /** Power back: a fresh controller that waits for its host's HCI_Reset. */
  powerOn(): void {
    if (this.isPowered) return;
    this.isPowered = true;
    this.transport.setListening(true);
  }

  /** The address this controller puts on air for an Own_Address_Type (0 public, else the random address). */
  ownAddress(ownAddressType: number): AddressEntry {
    return ownAddressType === 0 ? { type: 0, address: this.publicAddress } : { type: 1, address: this.randomAddress };
  }

  report(activity: RadioActivity): void {
    if (this.isPowered) this.onActivity?.(activity);
  }

  allocateHandle(): number {
    const handle = this.nextHandle;
    this.nextHandle = (this.nextHandle % 0x0eff) + 1;
    return handle;
  }

  toHostAt(atMs: number, h4: Uint8Array): void {
    this.medium.clock.scheduleAt(atMs, () => this.isPowered && this.transport.deliver(h4), `${this.name}:hci`);
  }

  toHost(eventPacket: Uint8Array): void {
    this.toHostAt(this.medium.clock.nowMs(), encodeH4(H4PacketType.EVENT, eventPacket));
  }

  /** Command Complete with `returnParameters` (status first). */
  complete(opcode: number, returnParameters: Uint8Array): void {
    this.toHost(completeEvent(opcode, returnParameters));
  }

  completeStatus(opcode: number, status: number): void {
    this.complete(opcode, StatusOnlyReturn.encode({ status }));
  }

  commandStatus(opcode: number, status: number): void {
    this.toHost(statusEvent(opcode, status));
  }

  /** An L2CAP fragment from the air → an HCI ACL packet: PB 10 starts a PDU, 01 continues it (Vol 4 Part E 5.4.2). */
  deliverData(atMs: number, handle: number, llid: number, payload: Uint8Array): void {
    if (llid === Llid.CONTINUATION && payload.length === 0) return;
    const packetBoundary = llid === Llid.START ? PacketBoundary.FIRST_FLUSHABLE : PacketBoundary.CONTINUING_FRAGMENT;
    this.toHostAt(atMs, encodeH4(H4PacketType.ACL_DATA, encodeAcl({ handle, packetBoundary, broadcast: 0, data: payload })));
  }

  /** A host ACL packet was acknowledged by the peer: its buffer is free again (reported after the exchange that acknowledged it). */
  packetCompleted(handle: number): void {
    this.pendingCompleted.set(handle, (this.pendingCompleted.get(handle) ?? 0) + 1);
  }

  /** Number_Of_Completed_Packets for what completed since the last call (Vol 4 Part E 7.7.19), at `atMs`. */
  flushCompleted(atMs: number): void {
    if (this.pendingCompleted.size === 0) return;
    const entries = [...this.pendingCompleted].map(([connectionHandle, numCompletedPackets]) => ({ connectionHandle, numCompletedPackets }));
    this.pendingCompleted.clear();
    this.toHostAt(atMs, encodeH4(H4PacketType.EVENT, numberOfCompletedPacketsEvent(entries)));
  }

  linkClosed(handle: number): void {
    this.links.delete(handle);
    this.pendingCompleted.delete(handle);
  }

  /** HCI_Reset (Vol 4 Part E 7.3.2) and power loss: every state back to its default, links abandoned. */
  resetState(): void {
    const wasAdvertising = this.adv.enabled;
    const wasScanning = this.scan.enabled;
    const wasInitiating = this.initiating !== undefined;
    this.adv = defaultAdvertising();
    this.scan = defaultScan();
    this.initiating = undefined;
    this.acceptList = [];
    this.randomAddress = new Uint8Array(6);
    for (const end of [...this.links.values()]) end.link.abandon(end.role);
    this.links.clear();
    this.pendingCompleted.clear();
    if (wasAdvertising) this.medium.changed('advertising');
    if (wasScanning) this.medium.changed('scanning');
    if (wasInitiating) this.medium.changed('initiating');
  }

  private fromHost(bytes: Uint8Array): void {
    const h4 = decodeH4(bytes);
    if (!h4.ok) {
      this.malformed.push(h4.error.message);
      return;
    }
    if (h4.value.type === H4PacketType.COMMAND) this.command(h4.value.packet);
    else if (h4.value.type === H4PacketType.ACL_DATA) this.aclFromHost(h4.value.packet);
    else this.malformed.push(`H4 type 0x0${h4.value.type} is not for a controller`);
  }

  private command(packet: Uint8Array): void {
    const decoded = decodeCommand(packet);
    if (!decoded.ok) {
      this.malformed.push(decoded.error.message);
      // The opcode is readable once 2 octets arrived: answer it rather than stall the host.
      if (packet.length >= 2) this.answerInvalid((packet[0] ?? 0) | ((packet[1] ?? 0) << 8));
      return;
    }
    const { opcode, parameters } = decoded.value;
    const outcome = handleCommand(this, opcode, parameters);
    if (outcome === 'unknown') this.completeStatus(opcode, HciStatus.UNKNOWN_HCI_COMMAND);
    else if (outcome === 'invalid') this.answerInvalid(opcode);
  }

  private answerInvalid(opcode: number): void {
    if (commandInfo(opcode)?.answer === 'status') this.commandStatus(opcode, HciStatus.INVALID_HCI_COMMAND_PARAMETERS);
    else this.completeStatus(opcode, HciStatus.INVALID_HCI_COMMAND_PARAMETERS);
  }

  /** One host ACL packet → LL data PDUs of at most the link's payload size; PB 00/10 starts an L2CAP PDU (LLID 10). */
  private aclFromHost(packet: Uint8Array): void {
    const acl = decodeAcl(packet);
    if (!acl.ok) {
      this.malformed.push(acl.error.message);
      return;
    }
    const { handle, packetBoundary, data } = acl.value;
    const end = this.links.get(handle);
    if (!end) {
      this.malformed.push(`ACL for unknown handle 0x${handle.toString(16)}`);
      return;
    }
    const { link, role } = end;
    const starts = packetBoundary === PacketBoundary.FIRST_NON_FLUSHABLE || packetBoundary === PacketBoundary.FIRST_FLUSHABLE;
    const size = link.maxPayload;
    const count = Math.max(1, Math.ceil(data.length / size));
    for (let i = 0; i < count; i++) {
      const llid = i === 0 && starts ? Llid.START : Llid.CONTINUATION;
      link.sendData(role, llid, data.slice(i * size, (i + 1) * size), i === count - 1);
    }
  }
}
