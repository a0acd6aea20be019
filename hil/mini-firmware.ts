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
