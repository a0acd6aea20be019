/**
 * ISO/IEC 7816-4 command and response APDUs: the bytes, both ways.
 *
 * Sources: ISO/IEC 7816-4:2005 5.1 (command-response pairs, Table 1 and
 * Figure 3: the four cases), 5.1.1 (class byte, Tables 2-3), 5.1.2
 * (instruction byte), and ISO/IEC 7816-3:2006 12.1.3 (how a receiver decodes
 * the body of a command APDU: the seven cases by the body's length L).
 *
 *   header  CLA INS P1 P2
 *   body    [Lc field, data field] [Le field]
 *
 * Short fields are one byte (Lc 1-255; Le 1-255, '00' meaning 256); extended
 * fields (2E/3E/4E) start with a '00' byte, then Lc on two bytes (1-65535),
 * and Le on two bytes ('0000' meaning 65536) or, after an extended Lc, two
 * bytes with no leading '00'.
 *
 * A decoder answers what is wrong as a `CommandError` whose `kind` maps to the
 * status word an applet answers with (status-words.ts, `errorStatusWord`).
 */

/** ISO/IEC 7816-4:2005 Figure 3 / ISO/IEC 7816-3:2006 12.1.3: the seven cases a body decodes to. */
export type ApduCase = '1' | '2S' | '3S' | '4S' | '2E' | '3E' | '4E';

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** The command data field (Nc = data.length); empty for cases 1 and 2. */
  data: Uint8Array;
  /** Ne, the most response data bytes expected (1-65536); undefined for cases 1 and 3 (no Le field). */
  ne?: number;
}

export interface ParsedCommand extends CommandApdu {
  case: ApduCase;
}

/**
 * What a command can be refused for before an applet looks at it, and what an
 * applet refuses it for afterwards; status-words.ts maps each to its SW.
 */
export type CommandErrorKind =
  | 'wrong-length' // 6700: the body fits no case of ISO/IEC 7816-3 12.1.3 (or is shorter than a header)
  | 'cla-not-supported' // 6E00: CLA 'FF' is invalid (ISO/IEC 7816-4:2005 5.1.1), or a class the applet does not serve
  | 'ins-not-supported' // 6D00: INS '6X'/'9X' are invalid (ISO/IEC 7816-3:2006 10.3.2), or unknown to the applet
  | 'wrong-p1p2' // 6B00
  | 'incorrect-p1p2' // 6A86
  | 'wrong-data' // 6A80
  | 'function-not-supported' // 6A81
  | 'file-not-found' // 6A82
  | 'record-not-found' // 6A83
  | 'conditions-not-satisfied' // 6985
  | 'security-status-not-satisfied' // 6982
  | 'wrong-le'; // 6CXX (SW2 = the exact Ne available)

export interface CommandError {
  kind: CommandErrorKind;
  detail: string;
}

export type CommandResult = { ok: true; value: ParsedCommand } | { ok: false; error: CommandError };

/** Decode a command APDU (ISO/IEC 7816-3:2006 12.1.3). Never throws. */
export function parseCommandApdu(bytes: Uint8Array): CommandResult {
  if (bytes.length < 4) return fail('wrong-length', `a command APDU has a 4-byte header, got ${bytes.length} bytes`);
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  if (cla === 0xff) return fail('cla-not-supported', "CLA 'FF' is invalid (ISO/IEC 7816-4:2005 5.1.1)");
  if ((ins & 0xf0) === 0x60 || (ins & 0xf0) === 0x90) return fail('ins-not-supported', `INS '${hex(ins)}' is invalid (ISO/IEC 7816-3:2006 10.3.2)`);
  const head = { cla, ins, p1, p2 };
  const body = bytes.subarray(4);
  const n = body.length;
  const b1 = body[0] ?? 0;
  if (n === 0) return ok({ ...head, data: new Uint8Array(0), case: '1' });
  if (n === 1) return ok({ ...head, data: new Uint8Array(0), ne: b1 === 0 ? 256 : b1, case: '2S' });
  if (b1 !== 0) {
    if (n === 1 + b1) return ok({ ...head, data: body.slice(1), case: '3S' });
    if (n === 2 + b1) return ok({ ...head, data: body.slice(1, 1 + b1), ne: body[n - 1] === 0 ? 256 : body[n - 1]!, case: '4S' });
    return fail('wrong-length', `short Lc ${b1} does not fit a ${n}-byte body`);
  }
  // b1 = '00' and L > 1: an extended-length body.
  if (n < 3) return fail('wrong-length', 'an extended body needs 3 bytes after its leading 00');
  const x = (body[1]! << 8) | body[2]!;
  if (n === 3) return ok({ ...head, data: new Uint8Array(0), ne: x === 0 ? 65536 : x, case: '2E' });
  if (x === 0) return fail('wrong-length', 'extended Lc of 0000 with more bytes following');
  if (n === 3 + x) return ok({ ...head, data: body.slice(3), case: '3E' });
  if (n === 5 + x) {
    const le = (body[n - 2]! << 8) | body[n - 1]!;
    return ok({ ...head, data: body.slice(3, 3 + x), ne: le === 0 ? 65536 : le, case: '4E' });
  }
  return fail('wrong-length', `extended Lc ${x} does not fit a ${n}-byte body`);
}

/**
 * Encode a command APDU, choosing short fields when Nc <= 255 and Ne <= 256
 * and extended fields otherwise (ISO/IEC 7816-4:2005 5.1). Throws RangeError
 * for values no APDU can carry (these are the caller's bugs, not a peer's bytes).
 */
export function encodeCommandApdu(command: CommandApdu, options: { extended?: boolean } = {}): Uint8Array {
  const { cla, ins, p1, p2, data, ne } = command;
  for (const [name, v] of [['CLA', cla], ['INS', ins], ['P1', p1], ['P2', p2]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${name} ${v} is not a byte`);
  }
  if (data.length > 65535) throw new RangeError(`Nc ${data.length} exceeds 65535`);
  if (ne !== undefined && (!Number.isInteger(ne) || ne < 1 || ne > 65536)) throw new RangeError(`Ne ${ne} is not 1-65536`);
  const extended = options.extended === true || data.length > 255 || (ne ?? 0) > 256;
  const out: number[] = [cla, ins, p1, p2];
  if (!extended) {
    if (data.length > 0) out.push(data.length, ...data);
    if (ne !== undefined) out.push(ne === 256 ? 0 : ne);
    return Uint8Array.from(out);
  }
  if (data.length > 0) out.push(0, data.length >> 8, data.length & 0xff, ...data);
  if (ne !== undefined) {
    const le = ne === 65536 ? 0 : ne;
    if (data.length === 0) out.push(0);
    out.push(le >> 8, le & 0xff);
  }
  return Uint8Array.from(out);
}

export interface ResponseApdu {
  /** The response data field. */
  data: Uint8Array;
  sw1: number;
  sw2: number;
}

/** The status word as one 16-bit number ('9000' → 0x9000). */
export function statusWord(response: Pick<ResponseApdu, 'sw1' | 'sw2'>): number {
  return (response.sw1 << 8) | response.sw2;
}

/** ISO/IEC 7816-4:2005 5.1: data then SW1 SW2. `undefined` when fewer than two bytes. */
export function parseResponseApdu(bytes: Uint8Array): ResponseApdu | undefined {
  if (bytes.length < 2) return undefined;
  return { data: bytes.slice(0, bytes.length - 2), sw1: bytes[bytes.length - 2]!, sw2: bytes[bytes.length - 1]! };
}

export function encodeResponseApdu(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = (sw >> 8) & 0xff;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/** The class byte's meaning (ISO/IEC 7816-4:2005 5.1.1, Tables 2 and 3). */
export type ClassByte =
  | { kind: 'interindustry'; chaining: boolean; secureMessaging: 'none' | 'proprietary' | 'header-not-authenticated' | 'header-authenticated'; channel: number }
  | { kind: 'proprietary' }
  | { kind: 'invalid' }
  | { kind: 'rfu' };

export function decodeClassByte(cla: number): ClassByte {
  if (cla === 0xff) return { kind: 'invalid' };
  if (cla & 0x80) return { kind: 'proprietary' }; // e.g. '80' (EMV, GlobalPlatform), '84' (GlobalPlatform with secure messaging)
  const chaining = (cla & 0x10) !== 0;
  if ((cla & 0xe0) === 0x00) {
    // First interindustry values: b4-b3 secure messaging, b2-b1 channel 0-3.
    const sm = (['none', 'proprietary', 'header-not-authenticated', 'header-authenticated'] as const)[(cla >> 2) & 3]!;
    return { kind: 'interindustry', chaining, secureMessaging: sm, channel: cla & 0x03 };
  }
  if ((cla & 0xc0) === 0x40) {
    // Further interindustry values: b6 secure messaging (header not authenticated), b4-b1 channel 4-19.
    return { kind: 'interindustry', chaining, secureMessaging: cla & 0x20 ? 'header-not-authenticated' : 'none', channel: 4 + (cla & 0x0f) };
  }
  return { kind: 'rfu' }; // '20'-'3F'
}

// ---------------------------------------------------------------------------

function ok(value: ParsedCommand): CommandResult {
  return { ok: true, value };
}

function fail(kind: CommandErrorKind, detail: string): CommandResult {
  return { ok: false, error: { kind, detail } };
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
