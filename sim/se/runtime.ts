/**
 * The SE's APDU runtime for one interface (host or contactless): decodes a
 * command APDU, keeps the selection per logical channel, dispatches to the
 * selected applet, and cuts long answers into '61XX' + GET RESPONSE.
 *
 * Sources: ISO/IEC 7816-4:2005 5.1 (APDUs; protocols/iso7816/apdu.ts decodes),
 * 5.1.1 (CLA: logical channel in b2-b1, or 4 + b4-b1 for the further
 * interindustry classes; GlobalPlatform CS 2.3 11.1.4 codes its proprietary
 * classes '80'-'8F'/'C0'-'CF'/'E0'-'EF' the same way), 5.1.3 ('61XX'), 7.1.1
 * (SELECT: P1 '04' selection by DF name, P2 b2-b1 '00' first or only
 * occurrence, '10' next occurrence; b4-b3 the answer wanted, '0C' none),
 * 7.1.2 (MANAGE CHANNEL: P1 '00' open, '80' close; P2 '00' means "the card
 * assigns the number", returned in one byte), 7.6.1 (GET RESPONSE).
 *
 * Choices where the standard leaves room: a command on a channel with no
 * applet selected gets '6985' (conditions of use not satisfied); a SELECT
 * that names no applet ('6A82') leaves the current selection as it was; an
 * applet selected on another channel is not selected twice ('6985'); SELECT of a LOCKED
 * applet gets '6A81' (function not supported), as Java Card cards answer.
 */
import { decodeClassByte, encodeResponseApdu, parseCommandApdu } from '../../protocols/iso7816/apdu';
import type { CommandApdu } from '../../protocols/iso7816/apdu';
import { INS_GET_RESPONSE, bytesRemainingStatus } from '../../protocols/iso7816/response-chaining';
import { SW, errorStatusWord } from '../../protocols/iso7816/status-words';
import type { AppletContext, AppletResponse, SeEvent, SeInterface } from './applet';
import type { AppletRegistry, RegistryEntry } from './registry';

export const INS_SELECT = 0xa4;
export const INS_MANAGE_CHANNEL = 0x70;
/** Logical channels 0-3 (the first interindustry class values). */
export const CHANNELS = 4;

interface Channel {
  selected: RegistryEntry | undefined;
  /** Response bytes left for GET RESPONSE, and the status word that ends them. */
  pending: { data: Uint8Array; sw: number } | undefined;
}

export interface RuntimeOptions {
  via: SeInterface;
  registry: AppletRegistry;
  notify(event: SeEvent): void;
  /** The applet implicitly selected on a channel when it opens (GP: the ISD on the host side); none on contactless. */
  defaultAid?: Uint8Array;
}

export class ApduRuntime {
  private channels: (Channel | undefined)[] = [];
  /** Processing time the applet declared for the last command (AppletResponse.processingUs), 0 if none. */
  lastAppletUs = 0;

  constructor(private readonly options: RuntimeOptions) {
    this.reset();
  }

  /** Power-up or field on: channel 0 open with the default applet, the others closed. */
  reset(): void {
    this.deselectAll();
    const basic: Channel = { selected: undefined, pending: undefined };
    if (this.options.defaultAid) basic.selected = this.options.registry.find(this.options.defaultAid);
    this.channels = [basic];
  }

  /** Power gone: selections vanish without any applet code running. */
  forget(): void {
    this.channels = [{ selected: undefined, pending: undefined }];
  }

  /** Field off or end of session: every selected applet is deselected. */
  deselectAll(): void {
    for (const channel of this.channels) {
      if (channel?.selected) this.deselect(channel);
    }
  }

  /** The applet selected on a channel (for tests and the NFCEE notifications). */
  selectedOn(channel = 0): RegistryEntry | undefined {
    return this.channels[channel]?.selected;
  }

  /** One command APDU in, one response APDU out. Never throws for bad input. */
  process(bytes: Uint8Array): Uint8Array {
    this.lastAppletUs = 0;
    const parsed = parseCommandApdu(bytes);
    if (!parsed.ok) return sw(errorStatusWord(parsed.error.kind));
    const command = parsed.value;
    const channelNumber = channelOf(command.cla);
    if (channelNumber === undefined) return sw(SW.CLA_NOT_SUPPORTED);
    if (channelNumber >= CHANNELS) return sw(SW.LOGICAL_CHANNEL_NOT_SUPPORTED);
    const channel = this.channels[channelNumber];
    if (!channel) return sw(SW.LOGICAL_CHANNEL_NOT_SUPPORTED);

    if (command.ins === INS_GET_RESPONSE && (command.cla & 0x80) === 0) return this.getResponse(channel, command);
    channel.pending = undefined;
    if (command.ins === INS_MANAGE_CHANNEL && (command.cla & 0x80) === 0) return this.manageChannel(channelNumber, command);
    let answer: AppletResponse;
    if (command.ins === INS_SELECT && command.p1 === 0x04 && (command.cla & 0x80) === 0) answer = this.select(channel, command);
    else if (!channel.selected) answer = { data: new Uint8Array(0), sw: SW.CONDITIONS_NOT_SATISFIED };
    else answer = this.call(channel.selected, (ctx) => channel.selected!.applet.process(command, ctx));
    this.lastAppletUs = answer.processingUs ?? 0;
    return this.deliver(channel, command, answer);
  }

  private select(channel: Channel, command: CommandApdu): AppletResponse {
    const occurrence = command.p2 & 0x03;
    const answerWanted = command.p2 & 0x0c;
    if ((occurrence !== 0x00 && occurrence !== 0x02) || (command.p2 & 0xf0) !== 0) return status(SW.INCORRECT_P1P2);
    if (command.data.length > 16) return status(SW.WRONG_LENGTH);
    const registry = this.options.registry;
    const target = registry.match(command.data, occurrence === 0x02 ? channel.selected : undefined, this.options.via);
    if (!target) return status(SW.FILE_NOT_FOUND);
    if (registry.isLocked(target)) return status(SW.FUNCTION_NOT_SUPPORTED);
    if (this.channels.some((c) => c !== channel && c?.selected === target)) return status(SW.CONDITIONS_NOT_SATISFIED); // not multi-selectable
    if (channel.selected) this.deselect(channel);
    const answer = this.call(target, (ctx) => target.applet.select(ctx));
    if (answer.sw === SW.OK || (answer.sw >> 8) === 0x62 || (answer.sw >> 8) === 0x63) channel.selected = target;
    if (answerWanted === 0x0c && answer.sw === SW.OK) return status(SW.OK);
    return answer;
  }

  private manageChannel(origin: number, command: CommandApdu): Uint8Array {
    if (command.p1 === 0x00) {
      if (command.data.length !== 0) return sw(SW.WRONG_LENGTH);
      let n = command.p2;
      if (n === 0) {
        n = this.channels.findIndex((c, i) => i > 0 && !c);
        if (n < 0) n = this.channels.length;
        if (n >= CHANNELS) return sw(SW.LOGICAL_CHANNEL_NOT_SUPPORTED);
      } else if (n >= CHANNELS || this.channels[n]) return sw(n >= CHANNELS ? SW.LOGICAL_CHANNEL_NOT_SUPPORTED : SW.INCORRECT_P1P2);
      // GP CS 2.3 11.7.1.1: opened from the basic channel, the new channel starts with the default applet; from another, with that channel's.
      const from = origin === 0 && this.options.defaultAid ? this.options.registry.find(this.options.defaultAid) : this.channels[origin]?.selected;
      const taken = this.channels.some((c) => c?.selected === from);
      this.channels[n] = { selected: taken ? undefined : from, pending: undefined };
      return command.p2 === 0 ? encodeResponseApdu(Uint8Array.of(n), SW.OK) : sw(SW.OK);
    }
    if (command.p1 === 0x80) {
      const n = command.p2 === 0 ? origin : command.p2;
      if (n === 0 || n >= CHANNELS) return sw(SW.INCORRECT_P1P2);
      const channel = this.channels[n];
      if (!channel) return sw(SW.INCORRECT_P1P2);
      if (channel.selected) this.deselect(channel);
      this.channels[n] = undefined;
      return sw(SW.OK);
    }
    return sw(SW.INCORRECT_P1P2);
  }

  private getResponse(channel: Channel, command: CommandApdu): Uint8Array {
    if (command.p1 !== 0 || command.p2 !== 0) return sw(SW.INCORRECT_P1P2);
    const pending = channel.pending;
    if (!pending) return sw(SW.CONDITIONS_NOT_SATISFIED);
    const ne = command.ne ?? 256;
    const part = pending.data.subarray(0, ne);
    const rest = pending.data.subarray(ne);
    if (rest.length === 0) {
      channel.pending = undefined;
      return encodeResponseApdu(part, pending.sw);
    }
    channel.pending = { data: rest.slice(), sw: pending.sw };
    return encodeResponseApdu(part, bytesRemainingStatus(rest.length));
  }

  /** ISO/IEC 7816-4 5.1.3: more data than Ne (or than a short answer carries) goes out with '61XX'. */
  private deliver(channel: Channel, command: CommandApdu, answer: AppletResponse): Uint8Array {
    const limit = command.ne ?? 0;
    if (answer.data.length <= limit || answer.data.length === 0) return encodeResponseApdu(answer.data, answer.sw);
    const part = answer.data.subarray(0, limit);
    const rest = answer.data.subarray(limit);
    channel.pending = { data: rest.slice(), sw: answer.sw };
    return encodeResponseApdu(part, bytesRemainingStatus(rest.length));
  }

  private deselect(channel: Channel): void {
    const entry = channel.selected;
    channel.selected = undefined;
    channel.pending = undefined;
    if (entry?.applet.deselect) this.call(entry, (ctx) => (entry.applet.deselect!(ctx), status(SW.OK)));
  }

  /** Runs applet code; an applet's own exception becomes '6F00', as a Java Card runtime answers an uncaught exception. */
  private call(entry: RegistryEntry, run: (ctx: AppletContext) => AppletResponse): AppletResponse {
    const ctx: AppletContext = { store: entry.store, via: this.options.via, notify: (e) => this.options.notify(e) };
    try {
      return run(ctx);
    } catch (e) {
      if (isPowerCut(e)) throw e;
      return status(SW.NO_PRECISE_DIAGNOSIS);
    }
  }
}

/** The logical channel a CLA names (ISO/IEC 7816-4 5.1.1; GP CS 2.3 11.1.4 for '8X'/'CX'/'EX'), or undefined for an invalid/RFU class. */
export function channelOf(cla: number): number | undefined {
  const decoded = decodeClassByte(cla);
  if (decoded.kind === 'interindustry') return decoded.channel;
  if (decoded.kind !== 'proprietary') return undefined;
  if ((cla & 0xf0) === 0x80 || (cla & 0xf0) === 0x90) return cla & 0x03;
  if ((cla & 0xe0) === 0xc0 || (cla & 0xe0) === 0xe0) return 4 + (cla & 0x0f);
  return undefined;
}

function isPowerCut(e: unknown): boolean {
  return e instanceof Error && e.name === 'PowerCut';
}

function status(word: number): AppletResponse {
  return { data: new Uint8Array(0), sw: word };
}

function sw(word: number): Uint8Array {
  return encodeResponseApdu(new Uint8Array(0), word);
}
