/**
 * A stand-in strap firmware for flashing tests: a few hundred bytes plus
 * padding, so that two fit in a Puck.js's Storage and a flash takes few
 * packets. It identifies itself as the real bundle does (the banner's
 * literals, host-bridge/flash/bundle-identity.ts), prints the same banner
 * and answers strap.status() with its `fw`.
 */
export function miniFirmware(version: string, padBytes = 3000): string {
  return (
    `(function(){var n="strap",v="${version}";globalThis.strap={status:function(){return {fw:n+" "+v,mode:"normal"}}};` +
    `print(n+" "+v+" on "+process.env.BOARD+" (Espruino "+process.env.VERSION+"), boot #"+1)})();\n//${'x'.repeat(padBytes)}\n`
  );
}

/**
 * The real bundle as another version of itself: its version literal replaced
 * wherever the minifier left it (`"0.1.0"` alone, or folded into `"strap 0.1.0"`).
 * Throws when the bundle holds no such literal, so a test cannot flash the same
 * version while believing it flashed another.
 */
export function withVersion(bundle: string, from: string, to: string): string {
  const literal = new RegExp(`(["'])(strap )?${from.replace(/\./g, '\\.')}\\1`, 'g');
  const renumbered = bundle.replace(literal, (_, quote: string, name = '') => `${quote}${name}${to}${quote}`);
  if (renumbered === bundle) throw new Error(`the bundle holds no version literal "${from}"`);
  return renumbered;
}
