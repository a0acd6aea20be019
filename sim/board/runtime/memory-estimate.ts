/**
 * process.memory() on a V8 context cannot count Espruino's JsVars, so the
 * board estimates them. APPROXIMATION, documented:
 *  - it walks what firmware can reach from its own globals (names added after
 *    the board installed Espruino's built-ins), following own properties only:
 *    closures, scopes and prototypes V8 keeps are invisible and not counted;
 *  - costs follow Espruino's variable layout (src/jsvar.h, "Internals" in the
 *    Espruino docs): one block per object/array/function, one per property
 *    (name and small value share it), strings longer than 4 chars take one
 *    extra block per 12 further chars (names likewise), typed arrays one block
 *    per 12 bytes, a function's code is not counted (code loaded from Storage
 *    stays in flash);
 *  - each pending timer costs 4 blocks, each watch 5, each queued event 3;
 *  - an idle board starts at BASE_USAGE_BLOCKS (interpreter roots, history).
 * It is a trend indicator for leaks and head-room, not a byte-exact figure.
 */
export const PUCKJS_TOTAL_BLOCKS = 2630;
/** Size of one JsVar on nRF52 builds with 12-bit references (approximate). */
export const PUCKJS_BLOCK_SIZE = 13;
export const BASE_USAGE_BLOCKS = 30;

const CHARS_PER_BLOCK = 12;

export interface BoardCounts {
  timers: number;
  watches: number;
  events: number;
}

export function estimateUsageBlocks(global: object, builtinNames: ReadonlySet<string>, counts: BoardCounts): number {
  let blocks = BASE_USAGE_BLOCKS + counts.timers * 4 + counts.watches * 5 + counts.events * 3;
  const seen = new Set<object>();
  const stack: object[] = [];
  const visitValue = (value: unknown): number => {
    if (typeof value === 'string') return stringExtra(value.length);
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return 0;
    if (seen.has(value)) return 0;
    seen.add(value);
    stack.push(value);
    return 0;
  };
  for (const name of Object.getOwnPropertyNames(global)) {
    if (builtinNames.has(name)) continue;
    blocks += 1 + stringExtra(name.length) + visitValue(safeGet(global, name));
  }
  while (stack.length > 0) {
    const obj = stack.pop()!;
    blocks += typeof obj === 'function' ? 2 : 1;
    if (ArrayBuffer.isView(obj)) {
      blocks += Math.ceil(byteLengthOf(obj) / CHARS_PER_BLOCK);
      continue;
    }
    for (const key of Object.getOwnPropertyNames(obj)) {
      if (typeof obj === 'function' && (key === 'length' || key === 'name' || key === 'prototype' || key === 'arguments' || key === 'caller')) continue;
      blocks += 1 + (/^\d+$/.test(key) ? 0 : stringExtra(key.length));
      blocks += visitValue(safeGet(obj, key));
    }
  }
  return blocks;
}

// The host's own getters: firmware may redefine the board's (a getter that never returns).
const typedArrayByteLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, 'byteLength')!.get!;
const dataViewByteLength = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength')!.get!;

function byteLengthOf(view: ArrayBufferView): number {
  try {
    return typedArrayByteLength.call(view) as number;
  } catch {
    return dataViewByteLength.call(view) as number;
  }
}

function stringExtra(length: number): number {
  return length <= 4 ? 0 : Math.ceil((length - 4) / CHARS_PER_BLOCK);
}

function safeGet(obj: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  return d && 'value' in d ? d.value : undefined;
}
