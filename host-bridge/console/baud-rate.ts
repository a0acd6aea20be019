/**
 * Finding a board's console speed on a serial line.
 *
 * What is physically possible: a UART only sees levels; at the wrong baud
 * rate each side samples the other's bits at the wrong times, so what comes
 * back is garbage (bytes with framing errors, often ≥ 0x80, 0x00 or 0xFF),
 * or nothing when the board ignores the mangled input. Nothing on the line
 * says which rate is right: the only test is to talk at a rate and see
 * whether an Espruino console answers. So: send Ctrl-U (clear the input
 * line) and a sync line (console-commands.ts) at each common rate in turn
 * and wait for its sync frame. USB CDC ports and pseudo-terminals ignore
 * the rate entirely, so a mismatch cannot happen there.
 *
 * Caveat: bytes sent at the wrong rate reach the board as garbage; Ctrl-U
 * clears them from its input line at the right rate, but a garbage DLE SOH
 * can start a 2v25+ packet that swallows input for 1 s, so each rate gets a
 * listening window longer than that only on a second pass (not done here:
 * a failed search reports what it saw instead).
 */
import type { Transport } from '../contracts';
import { realTimers, sleep, type Timers } from '../timers';
import { syncCommand } from './console-commands';
import { WrongBaudRateError } from './console-errors';
import { FRAME_SYNC, showBytes } from './wire-format';

export interface BaudRateControl {
  readonly baudRate: number;
  setBaudRate(baudRate: number): Promise<void>;
}

export function hasBaudRateControl(transport: Transport): transport is Transport & BaudRateControl {
  const t = transport as Partial<BaudRateControl>;
  return typeof t.setBaudRate === 'function' && typeof t.baudRate === 'number';
}

/** Rates Espruino boards are commonly set to, most likely first. */
export const COMMON_BAUD_RATES = [9600, 115200, 57600, 38400, 19200, 230400, 460800, 921600, 1000000, 4800, 2400, 1200] as const;

export type ReplyKind = 'nothing' | 'garbage' | 'text';

/** Whether bytes look like console text or like a mis-sampled line. */
export function classifyReply(bytes: Buffer): ReplyKind {
  if (bytes.length === 0) return 'nothing';
  let odd = 0;
  for (const b of bytes) {
    const textual = (b >= 0x20 && b < 0x7f) || b === 0x0d || b === 0x0a || b === 0x09 || b === 0x1b || b === 0x02 || b === 0x03;
    if (!textual) odd++;
  }
  return odd / bytes.length > 0.2 ? 'garbage' : 'text';
}

export interface ProbeResult {
  answered: boolean;
  received: Buffer;
}

/** Sends the sync command with frame id `id` and waits up to `windowMs` (on `timers`) for its frame. */
export function probeConsole(transport: Transport, id: string, windowMs: number, timers: Timers = realTimers): Promise<ProbeResult> {
  const frame = Buffer.from(`\x02${id}${FRAME_SYNC}\x03${id}`, 'latin1');
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    let done = false;
    const finish = (answered: boolean) => {
      if (done) return;
      done = true;
      timers.clearTimeout(timer);
      transport.off('data', onData);
      resolve({ answered, received: Buffer.concat(chunks) });
    };
    const onData = (data: Buffer) => {
      chunks.push(data);
      if (Buffer.concat(chunks).includes(frame)) finish(true);
    };
    const timer = timers.setTimeout(() => finish(false), windowMs);
    transport.on('data', onData);
    transport.write(syncCommand(id)).catch(() => finish(false));
  });
}

export interface BaudSearch {
  /** The rate an Espruino console answered at, if any. */
  found?: number;
  /** What came back at each rate tried. */
  replies: Map<number, ReplyKind>;
}

/**
 * Tries `rates` in turn (the transport's own rate excluded) until a console
 * answers; the transport is left at its original rate either way.
 */
export async function searchBaudRate(
  transport: Transport & BaudRateControl,
  options: { rates?: readonly number[]; windowMs?: number; nextId: () => string; timers?: Timers },
): Promise<BaudSearch> {
  const timers = options.timers ?? realTimers;
  const original = transport.baudRate;
  const replies = new Map<number, ReplyKind>();
  try {
    for (const rate of options.rates ?? COMMON_BAUD_RATES) {
      if (rate === original) continue;
      await transport.setBaudRate(rate);
      await sleep(timers, 30);
      // ~40 bytes out and back at this rate, plus the board's time to run a line
      const windowMs = (options.windowMs ?? 400) + Math.ceil((80 * 10 * 1000) / rate);
      const probe = await probeConsole(transport, options.nextId(), windowMs, timers);
      replies.set(rate, probe.answered ? 'text' : classifyReply(probe.received));
      if (probe.answered) return { found: rate, replies };
    }
    return { replies };
  } finally {
    await transport.setBaudRate(original).catch(() => undefined);
  }
}

/**
 * After a silent sync on a serial port: asks once more at the port's rate,
 * then searches the others, and says what it found as a WrongBaudRateError.
 */
export async function diagnoseBaudRate(
  transport: Transport & BaudRateControl,
  options: { rates?: readonly number[]; nextId: () => string; timers?: Timers },
): Promise<WrongBaudRateError> {
  const tried = transport.baudRate;
  const here = await probeConsole(transport, options.nextId(), 600, options.timers);
  if (here.answered) return new WrongBaudRateError(`the console at ${tried} baud answered only late; try again`, tried, tried);
  const hereKind = classifyReply(here.received);
  const search = await searchBaudRate(transport, options);
  const seen =
    hereKind === 'nothing'
      ? 'nothing came back'
      : hereKind === 'garbage'
        ? 'only garbage came back'
        : `text came back but no console reply (${showBytes(here.received.toString('latin1'), 60)})`;
  if (search.found !== undefined) {
    return new WrongBaudRateError(
      `no Espruino prompt at ${tried} baud (${seen}); the board answered at ${search.found} baud: open ${transport.port} at ${search.found}`,
      tried,
      search.found,
    );
  }
  const others = [...search.replies.keys()].join(', ');
  const anyGarbage = hereKind === 'garbage' || [...search.replies.values()].includes('garbage');
  const verdict = anyGarbage
    ? 'garbage came back, so something is on the line at another speed or is not an Espruino console'
    : 'nothing answered at any speed (is the board powered, is this its console port, is the console moved elsewhere with E.setConsole?)';
  return new WrongBaudRateError(`no Espruino prompt at ${tried} baud (${seen}), nor at ${others}: ${verdict}`, tried, undefined);
}
