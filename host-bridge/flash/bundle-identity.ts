/**
 * Is a bundle the strap firmware? Decided by its content, before anything is
 * sent: it must parse as JavaScript and build the strap's boot banner
 * (firmware/app/boot.ts prints FIRMWARE_NAME + ' ' + FIRMWARE_VERSION +
 * ' on ' + BOARD + ' (Espruino ' + VERSION + '), boot #' + boots, the line
 * STRAP_BANNER matches), so it holds the name `strap`, the banner's fixed
 * pieces and a version (firmware/app/version.ts) as string literals. Terser
 * keeps string literals as they are: the minified dist/strap.js holds
 * `var we="strap",Se="0.1.0"` and `" (Espruino "`, `"), boot #"`.
 */
import { parse, tokTypes, type Token } from 'acorn';

/** The banner's fixed pieces, as string literals of the bundle. */
export const BANNER_LITERALS = [' (Espruino ', '), boot #'] as const;
/** FIRMWARE_NAME (firmware/app/version.ts). */
export const FIRMWARE_NAME = 'strap';

export type BundleIdentity =
  /** `firmware` is `strap 0.1.0` (just `strap` when no version literal follows the name). */
  | { ours: true; firmware: string }
  /** Why it is not (a syntax error names its line and column). */
  | { ours: false; reason: string };

const VERSION = /^\d+\.\d+\.\d+[-+.\w]*$/;
/** How many tokens after the name its version may come (`"strap",Se="0.1.0"`: 4). */
const VERSION_WITHIN_TOKENS = 8;

export function identifyBundle(source: string): BundleIdentity {
  const strings: string[] = [];
  try {
    parse(source, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      locations: true,
      onToken: (token: Token) => void strings.push(token.type === tokTypes.string ? String((token as Token & { value: unknown }).value) : ''),
    });
  } catch (error) {
    return { ours: false, reason: `it is not valid JavaScript: ${(error as Error).message}` };
  }
  const name = strings.findIndex((s) => s === FIRMWARE_NAME || s.startsWith(`${FIRMWARE_NAME} `));
  if (name < 0 || BANNER_LITERALS.some((piece) => !strings.includes(piece))) {
    return { ours: false, reason: 'it does not print the strap banner ("strap X on BOARD (Espruino V), boot #N")' };
  }
  const named = strings[name]!;
  if (named !== FIRMWARE_NAME) return { ours: true, firmware: named };
  const version = strings.slice(name + 1, name + 1 + VERSION_WITHIN_TOKENS).find((s) => VERSION.test(s));
  return { ours: true, firmware: version ? `${FIRMWARE_NAME} ${version}` : FIRMWARE_NAME };
}
