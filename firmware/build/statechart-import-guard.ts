import type * as esbuild from 'esbuild';

// esbuild plugin for the firmware bundle: xstate and the machines authored
// with it stay on the host. Firmware code runs a machine's generated table
// (firmware/statecharts/tables/<name>.table.ts) with createTableActor; an
// import of xstate or of a .machine file fails the bundle, located at the
// import, instead of pulling some 39 KB of Map/Set/Symbol code into
// dist/strap.js and failing the Espruino checks line by line.

export function statechartImportGuard(): esbuild.Plugin {
  return {
    name: 'statechart-import-guard',
    setup(build) {
      build.onResolve({ filter: /^xstate(\/.*)?$/ }, (args) => ({
        errors: [{ text: `'${args.path}' cannot run on the strap (it needs Map, Set, Symbol and about 39 KB): author machines in firmware/statecharts/*.machine.ts and run their generated tables with createTableActor` }],
      }));
      build.onResolve({ filter: /\.machine(\.ts)?$/ }, (args) => {
        const table = args.path.replace(/\.machine(\.ts)?$/, '.table').replace(/([^/]+\.table)$/, 'tables/$1');
        return {
          errors: [{ text: `'${args.path}' is an xstate machine, which stays on the host: import its generated table '${table}' and run it with createTableActor` }],
        };
      });
    },
  };
}
