/**
 * L2CAP frames as they cross the virtual air, reassembled from LL data PDUs
 * seen at the air's tap (LLID 10 starts a frame, 01 continues it), per
 * direction. Chains any tap already set.
 */
import type { BasicFrame, ReassemblyState } from '../../../protocols/ble/l2cap/basic-frame';
import { EMPTY_REASSEMBLY, reassemble } from '../../../protocols/ble/l2cap/basic-frame';
import { PacketBoundary } from '../../../protocols/ble/hci/packets';
import { Llid } from '../../../protocols/ble/ll/control-pdu';
import type { Air } from '../air';

export interface AirFrame extends BasicFrame {
  from: string;
  to: string;
  timeMs: number;
}

export function collectFrames(air: Air): AirFrame[] {
  const frames: AirFrame[] = [];
  const states = new Map<string, ReassemblyState>();
  const previous = air.tap;
  air.tap = (pdu) => {
    const result = previous?.(pdu);
    const seen = result === undefined ? pdu : result;
    if (seen === 'drop' || seen.kind !== 'data' || seen.llid === Llid.CONTROL) return result;
    const key = `${seen.from}>${seen.to}`;
    const packetBoundary = seen.llid === Llid.START ? PacketBoundary.FIRST_FLUSHABLE : PacketBoundary.CONTINUING_FRAGMENT;
    const step = reassemble(states.get(key) ?? EMPTY_REASSEMBLY, { packetBoundary, data: seen.payload });
    states.set(key, step.state);
    if (step.frame) frames.push({ ...step.frame, from: seen.from, to: seen.to, timeMs: seen.timeMs });
    return result;
  };
  return frames;
}
