import * as path from 'node:path';
import type * as esbuild from 'esbuild';

// esbuild plugin for the firmware bundle: xstate and the machines authored
// with it stay on the host. Firmware code runs a machine's generated table
// (firmware/statecharts/tables/<name>.table.ts) with createTableActor; an
// import of xstate, of a .machine file, or of anything else under
// firmware/statecharts/host/ (authoring helpers, oracles, test fixtures)
// fails the bundle, located at the import, instead of pulling some 39 KB of
// Map/Set/Symbol code into dist/strap.js and failing the Espruino checks line
// by line. The models (firmware/statecharts/<name>.model.ts) are shared by
// both sides and may be imported.

/** The host-only folder, relative to the repository root. */
export const STATECHART_HOST_DIR = 'firmware/statecharts/host';

export function statechartImportGuard(root: string): esbuild.Plugin {
  const hostDir = path.resolve(root, STATECHART_HOST_DIR);
  return {
    name: 'statechart-import-guard',
    setup(build) {
      build.onResolve({ filter: /^xstate(\/.*)?$/ }, (args) => ({
        errors: [{ text: `'${args.path}' cannot run on the strap (it needs Map, Set, Symbol and about 39 KB): author machines in ${STATECHART_HOST_DIR}/*.machine.ts and run their generated tables with createTableActor` }],
      }));
      build.onResolve({ filter: /\.machine(\.ts)?$/ }, (args) => {
        const tableFile = path.resolve(root, 'firmware/statecharts/tables', path.basename(args.path).replace(/\.machine(\.ts)?$/, '.table'));
        const relative = path.relative(args.resolveDir, tableFile).split(path.sep).join('/');
        const table = relative.startsWith('../') ? relative : './' + relative;
        return {
          errors: [{ text: `'${args.path}' is an xstate machine, which stays on the host: import its generated table '${table}' and run it with createTableActor` }],
        };
      });
      build.onResolve({ filter: /^\./ }, (args) => {
        const target = path.resolve(args.resolveDir, args.path);
        if (target !== hostDir && !target.startsWith(hostDir + path.sep)) return undefined;
        return {
          errors: [{ text: `'${args.path}' is under ${STATECHART_HOST_DIR}/, which is host only (xstate authoring, oracles, fixtures): firmware code imports the runtime, the tables and the models` }],
        };
      });
    },
  };
}
