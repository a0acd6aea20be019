/** The parts one after another in a new array (the drivers' segments and chained blocks, joined). */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (let i = 0; i < parts.length; i++) total += parts[i]!.length;
  const out = new Uint8Array(total);
  total = 0;
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i]!, total);
    total += parts[i]!.length;
  }
  return out;
}
