/**
 * The A/B layout in Storage that makes a flash safe to interrupt (README.md):
 *
 *   .bootcde       the loader (LOADER_SOURCE), written only when missing or different
 *   strap.a        firmware bundle, slot A        strap.a.rec  {"crc","size","seq"} of slot A
 *   strap.b        firmware bundle, slot B        strap.b.rec  the same for slot B
 *
 * A slot is valid when its record parses and its data has the recorded size
 * and CRC-32 (E.CRC32, the IEEE CRC of zlib). The loader boots the valid slot
 * with the highest seq. The flasher writes only the other slot and writes its
 * record last, so until that record is complete the previous slot still wins.
 */

import { BANNER_LITERALS } from './bundle-identity';

export const SLOTS = ['a', 'b'] as const;
export type Slot = (typeof SLOTS)[number];

export const slotFile = (slot: Slot): string => `strap.${slot}`;
export const recordFile = (slot: Slot): string => `strap.${slot}.rec`;

/** First line of the loader: how the flasher recognises it. */
export const LOADER_MARK = '// strap-loader 1';

/**
 * Boot code for Espruino 2v29 (ES5, nothing used before it is declared). The
 * slot runs through eval at the top level of .bootcde, i.e. at global scope:
 * the same way Espruino runs .bootcde itself, function bodies then stay in
 * flash (Storage.read returns a memory-mapped string), and as Bangle.js's
 * boot code runs its own Storage files. Neither slot valid: it says so on
 * the console (SAFE MODE) and the board stays at the prompt, reflashable.
 */
export const LOADER_SOURCE = `${LOADER_MARK}: boots the newest firmware slot whose CRC checks (host-bridge/flash/README.md)
var __strapSlot=(function(S){var best,seq=-1,bad=[];["a","b"].forEach(function(s){var r,d=S.read("strap."+s);try{r=JSON.parse(S.read("strap."+s+".rec"))}catch(e){}if(!r)return;if(d===undefined||d.length!==r.size||(E.CRC32(d)>>>0)!==r.crc)return bad.push(s);if(r.seq>seq){seq=r.seq;best=s}});if(!best)print("strap loader: SAFE MODE: no valid firmware slot"+(bad.length?" (bad: "+bad.join(",")+")":""));else if(bad.length)print("strap loader: slot "+bad.join(",")+" failed its CRC, booting slot "+best);return best})(require("Storage"));
if(__strapSlot)eval(require("Storage").read("strap."+__strapSlot));
`;

/** A slot's record: the data's CRC-32 and size, its rank, and (flashers since issue 8) the firmware's name and version. */
export interface SlotRecord {
  crc: number;
  size: number;
  seq: number;
  /** `strap 0.1.0`, from the bundle's own banner literals (bundle-identity.ts). */
  fw?: string;
}

/** What a slot holds, as the board reports it. */
export interface SlotState {
  record: SlotRecord | null;
  /** Data length, -1 when there is no data file. */
  size: number;
  crc: number;
  /** The record file's length, -1 when there is none (for the room the slot takes). */
  recordSize: number;
}

/** The answer to PROBE_EXPRESSION. */
export interface BoardProbe {
  /** `typeof strap` on the board. */
  strap: string;
  /** strap.status() when the strap firmware runs. */
  status: { fw?: string; mode?: string; safeReason?: string } | null;
  /** Whether strap.rpc (the console RPC service) exists. */
  rpc: boolean;
  /**
   * .bootcde: size, CRC, its first 48 bytes, whether part of it was never
   * written (0xFF bytes: an upload cut short) and whether it builds the strap
   * banner (BANNER_LITERALS); null when there is none.
   */
  boot: { size: number; crc: number; head: string; unwritten: boolean; banner: boolean } | null;
  a: SlotState;
  b: SlotState;
  /** Storage.getStats(): totals over all files with their 32-byte headers; `freeBytes` is the erased space after the last file (what a write gets without a compaction). */
  storage: { totalBytes: number; fileBytes: number; trashBytes: number; freeBytes: number };
}

/** One evaluation that tells what runs on the board and what its Storage holds. */
export const PROBE_EXPRESSION = `(function(S){
function slot(s){var r=null,d=S.read("strap."+s),t=S.read("strap."+s+".rec");try{r=JSON.parse(t)||null}catch(e){}return {record:r,size:d===undefined?-1:d.length,crc:d===undefined?0:E.CRC32(d)>>>0,recordSize:t===undefined?-1:t.length}}
var st=null,b=S.read(".bootcde"),g=S.getStats();
try{if(typeof strap!=="undefined"&&strap.status)st=strap.status()}catch(e){}
return {strap:typeof strap,status:st,rpc:typeof strap!=="undefined"&&typeof strap.rpc==="function",boot:b===undefined?null:{size:b.length,crc:E.CRC32(b)>>>0,head:b.substr(0,48),unwritten:b.indexOf("\\xff")>=0,banner:${BANNER_LITERALS.map((l) => `b.indexOf(${JSON.stringify(JSON.stringify(l))})>=0`).join('&&')}},a:slot("a"),b:slot("b"),storage:{totalBytes:g.totalBytes,fileBytes:g.fileBytes,trashBytes:g.trashBytes,freeBytes:g.freeBytes}};
})(require("Storage"))`;

/** The loader's first line sits at the start of .bootcde (complete or cut short). */
export function hasLoader(probe: BoardProbe): boolean {
  return probe.boot !== null && probe.boot.head.startsWith(LOADER_MARK);
}

export function slotIsValid(state: SlotState): boolean {
  const r = state.record;
  return r !== null && typeof r === 'object' && state.size >= 0 && state.size === r.size && state.crc === r.crc && typeof r.seq === 'number';
}

/** The slot the loader boots (the valid one with the highest seq), as the loader decides it. */
export function activeSlot(probe: BoardProbe): Slot | undefined {
  let best: Slot | undefined;
  for (const slot of SLOTS) {
    const state = probe[slot];
    if (slotIsValid(state) && (best === undefined || state.record!.seq > probe[best].record!.seq)) best = slot;
  }
  return best;
}


/** The record that makes `slot` (holding `size` bytes with `crc32`, firmware `fw`) the newest. */
export function nextRecord(probe: BoardProbe, slot: Slot, size: number, crc32: number, fw?: string): SlotRecord {
  const seqs = SLOTS.filter((s) => s !== slot && slotIsValid(probe[s])).map((s) => probe[s].record!.seq);
  return { crc: crc32, size, seq: Math.max(0, ...seqs) + 1, ...(fw === undefined ? {} : { fw }) };
}
