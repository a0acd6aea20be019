import * as path from 'node:path';
import type * as esbuild from 'esbuild';

// esbuild plugin for the firmware bundle: boot wires the features; features
// do not run each other's code (firmware/README.md). The top-level folders
// of firmware/ are of three kinds:
//
//  - boot/ and main.ts: the wiring; they may import anything in firmware/;
//  - shared layers (SHARED_LAYERS): code every feature may use; they import
//    only shared layers;
//  - features: every other folder (console/, power/, payments/, and the ones
//    to come); a feature imports its own folder and the shared layers.
//
// By the time esbuild resolves an import it has dropped the type-only ones
// (`import type`, and names used only as types), so what this plugin sees is
// exactly what puts code in the bundle: a feature may name another's types
// (the ports boot connects), never call its code directly.

/** Folders under firmware/ that any feature may import. */
export const SHARED_LAYERS = ['board', 'statecharts', 'drivers', 'ui'];
const WIRING = 'boot';

export function featureImportGuard(root: string): esbuild.Plugin {
  const firmware = path.resolve(root, 'firmware');
  /** The top-level folder of firmware/ a file is in: '' for firmware/ itself (main.ts), undefined outside firmware/. */
  const layerOf = (file: string): string | undefined => {
    const relative = path.relative(firmware, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    const parts = relative.split(path.sep);
    return parts.length > 1 ? parts[0] : '';
  };
  return {
    name: 'feature-import-guard',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        const from = layerOf(args.importer);
        const to = layerOf(path.resolve(args.resolveDir, args.path));
        // Outside firmware/ (packages), the wiring, a folder's own modules, and the shared layers: allowed.
        if (from === undefined || to === undefined || from === '' || from === WIRING || from === to || SHARED_LAYERS.includes(to)) return undefined;
        const why = SHARED_LAYERS.includes(from)
          ? `firmware/${from}/ is a shared layer: it imports only ${SHARED_LAYERS.map((name) => name + '/').join(', ')}`
          : `firmware/${from}/ is a feature: it may import another feature's types (import type), never its code; boot/ passes it what it needs`;
        return { errors: [{ text: `'${args.path}' is in firmware/${to === '' ? '' : to + '/'}: ${why}` }] };
      });
    },
  };
}
