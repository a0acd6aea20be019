// The virtual controller's HCI answers, seen from a host writing H4 packets.
import { describe, expect, it } from 'vitest';
import { decodeCommandComplete, EventParameters } from '../../protocols/ble/hci/event-params';
import { HciEvent } from '../../protocols/ble/hci/events';
import { encodeH4, H4PacketType } from '../../protocols/ble/hci/h4';
import { CommandParameters } from '../../protocols/ble/hci/command-params';
import { commandInfo, HciOpcode, opcode } from '../../protocols/ble/hci/opcodes';
import { decodeEvent, encodeCommand } from '../../protocols/ble/hci/packets';
import { HciStatus } from '../../protocols/ble/hci/status';
import { SeededRandom } from '../clock/seeded-random';
import { VirtualClock } from '../clock/virtual-clock';
import { Air } from './air';

function controllerUnderTest() {
  const clock = new VirtualClock();
  const air = new Air({ clock, seed: 7 });
  const controller = air.addController({ name: 'dut', publicAddress: 'C0:00:00:00:00:0A' });
  const events: { code: number; parameters: Uint8Array }[] = [];
  controller.transport.on('data', (packet: Buffer) => {
    const event = decodeEvent(new Uint8Array(packet).subarray(1));
    if (event.ok) events.push(event.value);
  });
  const send = (op: number, parameters = new Uint8Array(0)) => {
    controller.transport.write(encodeH4(H4PacketType.COMMAND, encodeCommand(op, parameters)));
    clock.advanceBy(1);
    return events.shift();
  };
  return { controller, send, events, clock };
}

function completed(event: { code: number; parameters: Uint8Array } | undefined) {
  expect(event?.code).toBe(HciEvent.COMMAND_COMPLETE);
  const cc = decodeCommandComplete(event!.parameters);
  if (!cc.ok) throw new Error(cc.error.message);
  return cc.value;
}

describe('the virtual controller answers every HCI command', () => {
  it('answers an opcode it does not know with Command Complete, status Unknown HCI Command (0x01)', () => {
    const { send } = controllerUnderTest();
    const vendor = opcode(0x3f, 0x0123);
    const cc = completed(send(vendor));
    expect(cc.commandOpcode).toBe(vendor);
    expect(cc.returnParameters[0]).toBe(HciStatus.UNKNOWN_HCI_COMMAND);
  });

  it('answers a known command whose parameters do not decode with Invalid HCI Command Parameters (0x12)', () => {
    const { send } = controllerUnderTest();
    const cc = completed(send(HciOpcode.LE_SET_ADVERTISING_ENABLE, Uint8Array.of(1, 2)));
    expect(cc.returnParameters[0]).toBe(HciStatus.INVALID_HCI_COMMAND_PARAMETERS);
    const cs = send(HciOpcode.LE_CREATE_CONNECTION, Uint8Array.of(1));
    expect(cs?.code).toBe(HciEvent.COMMAND_STATUS);
    expect(EventParameters.COMMAND_STATUS.decode(cs!.parameters)).toMatchObject({ ok: true, value: { status: 0x12, commandOpcode: HciOpcode.LE_CREATE_CONNECTION } });
  });

  it('returns its public address, LE buffers and a non-empty accept list, as ble-host\'s init needs', () => {
    const { send } = controllerUnderTest();
    expect(completed(send(HciOpcode.RESET)).returnParameters).toEqual(Uint8Array.of(0));
    expect(completed(send(HciOpcode.READ_BD_ADDR)).returnParameters).toEqual(Uint8Array.of(0, 0x0a, 0, 0, 0, 0, 0xc0));
    expect(completed(send(HciOpcode.LE_READ_BUFFER_SIZE)).returnParameters).toEqual(Uint8Array.of(0, 27, 0, 8));
    expect(completed(send(HciOpcode.LE_READ_FILTER_ACCEPT_LIST_SIZE)).returnParameters[1]).toBeGreaterThanOrEqual(1);
  });

  it('refuses encryption on a handle it does not have with Command Status 0x02', () => {
    const { send } = controllerUnderTest();
    const cs = send(HciOpcode.LE_ENABLE_ENCRYPTION, new Uint8Array(28));
    expect(EventParameters.COMMAND_STATUS.decode(cs!.parameters)).toMatchObject({ ok: true, value: { status: HciStatus.UNKNOWN_CONNECTION_IDENTIFIER } });
  });

  it('keeps bytes that are not an H4 packet, answers nothing for them and keeps answering commands', () => {
    const { controller, send, events } = controllerUnderTest();
    controller.transport.write(Uint8Array.of(0x09, 1, 2, 3));
    controller.transport.write(Uint8Array.of(0x01, 0x03, 0x0c, 5));
    expect(controller.malformed).toHaveLength(2);
    expect(events).toHaveLength(0);
    expect(completed(send(HciOpcode.RESET)).returnParameters).toEqual(Uint8Array.of(0));
    expect(events.every((e) => e.code !== HciEvent.HARDWARE_ERROR)).toBe(true);
  });

  it('answers 2,000 seeded random commands (known opcodes with right or wrong lengths, unknown ones) once each, with their opcode, never Hardware Error', () => {
    const { controller, clock, events } = controllerUnderTest();
    const random = new SeededRandom('hci-commands');
    const known = Object.entries(HciOpcode);
    for (let i = 0; i < 2000; i++) {
      const useKnown = random.next() < 0.8;
      const [name, op] = useKnown ? known[random.int(0, known.length - 1)]! : ['random', random.int(0, 0xffff)];
      const size = (CommandParameters as Record<string, { size: number } | undefined>)[name]?.size ?? random.int(0, 40);
      const length = random.next() < 0.8 ? size : random.int(0, 40);
      const parameters = Uint8Array.from({ length }, () => random.int(0, 255));
      controller.transport.write(encodeH4(H4PacketType.COMMAND, encodeCommand(op, parameters)));
      clock.advanceBy(1);
      const all = events.splice(0);
      expect(all.filter((e) => e.code === HciEvent.HARDWARE_ERROR)).toEqual([]);
      const answers = all.filter((e) => e.code === HciEvent.COMMAND_COMPLETE || e.code === HciEvent.COMMAND_STATUS);
      expect(answers, `command ${i}: ${name} 0x${op.toString(16)}`).toHaveLength(1);
      const answered = answers[0]!.code === HciEvent.COMMAND_COMPLETE
        ? decodeCommandComplete(answers[0]!.parameters).ok && decodeCommandComplete(answers[0]!.parameters)
        : EventParameters.COMMAND_STATUS.decode(answers[0]!.parameters);
      expect(answered && answered.ok && answered.value.commandOpcode).toBe(op);
      if (!useKnown && commandInfo(op) === undefined) expect(answers[0]!.code).toBe(HciEvent.COMMAND_COMPLETE);
    }
    expect(controller.malformed).toEqual([]);
  });
});
