/**
 * Espruino version strings as process.env.VERSION has them: `2v29`, and
 * `2v25.416` for a build 416 commits after 2v25 ("cutting edge" builds).
 */

export interface EspruinoVersion {
  major: number;
  minor: number;
  build: number;
}

export function parseEspruinoVersion(text: unknown): EspruinoVersion | undefined {
  const m = typeof text === 'string' ? /^(\d+)v(\d+)(?:\.(\d+))?/.exec(text.trim()) : null;
  return m ? { major: Number(m[1]), minor: Number(m[2]), build: Number(m[3] ?? 0) } : undefined;
}

/** a < b: negative, equal: 0, a > b: positive. */
export function compareVersions(a: EspruinoVersion, b: EspruinoVersion): number {
  return a.major - b.major || a.minor - b.minor || a.build - b.build;
}

/** The packet protocol (DLE SOH …) arrived in 2v25 (README_Protocol.md "Packet Transfer": "Added in 2v25"). */
export const FIRST_VERSION_WITH_PACKETS: EspruinoVersion = { major: 2, minor: 25, build: 0 };

export function supportsPackets(version: unknown): boolean {
  const v = parseEspruinoVersion(version);
  return v !== undefined && compareVersions(v, FIRST_VERSION_WITH_PACKETS) >= 0;
}
