import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { AnyStateMachine } from 'xstate';
import type { Problem } from './problem';
import { emitTableModule } from './statechart-emit';
import { lowerMachine } from './statechart-lower';
import type { Unsupported } from './statechart-support';

// The build step that turns the statecharts authored in xstate
// (firmware/statecharts/host/<name>.machine.ts, each exporting `<stem>Machine`)
// into table modules for the strap (firmware/statecharts/tables/<name>.table.ts,
// exporting `<stem>Table`). It runs on the host: it imports the machine files,
// so xstate stays out of the firmware bundle. The table modules are checked in
// as ordinary TypeScript: the firmware imports them and its tsconfig types
// them. Each machine has a model file (firmware/statecharts/<name>.model.ts,
// shared by both sides) exporting `<Stem>Context` and `<Stem>Event`, which the
// tables import.

export const STATECHARTS_DIR = 'firmware/statecharts';
/** Host only: the machines, their authoring helpers and the oracles (statechart-import-guard.ts keeps them out of the bundle). */
export const HOST_DIR = 'firmware/statecharts/host';
export const TABLES_DIR = 'firmware/statecharts/tables';
export const STATECHART_RULE = 'statechart';

export interface TableFile {
  /** Root-relative path of the generated module. */
  file: string;
  /** Root-relative path of the machine file it comes from. */
  machineFile: string;
  text: string;
  /** Whether the file on disk differs (or is missing). */
  stale: boolean;
}

export interface GenerateOptions {
  root: string;
  /** Write stale table files; when false they are reported as problems instead. Default true. */
  write?: boolean;
  /** Root-relative machine files; default every firmware/statecharts/host/*.machine.ts. */
  machineFiles?: string[];
}

export interface GenerateResult {
  tables: TableFile[];
  problems: Problem[];
}

/** Lowers every machine file to its table module; unsupported features and stale tables come back as problems. */
export async function generateStatechartTables(options: GenerateOptions): Promise<GenerateResult> {
  const { root } = options;
  const write = options.write !== false;
  const machineFiles = options.machineFiles ?? (await findMachineFiles(root));
  const tables: TableFile[] = [];
  const problems: Problem[] = [];

  for (const machineFile of machineFiles) {
    const generated = await tableForMachineFile(root, machineFile);
    problems.push(...generated.problems);
    if (!generated.table) continue;
    const absolute = path.join(root, generated.table.file);
    const onDisk = existsSync(absolute) ? await readFile(absolute, 'utf8') : undefined;
    const table = { ...generated.table, stale: onDisk !== generated.table.text };
    tables.push(table);
    if (!table.stale) continue;
    if (write) {
      await mkdir(path.dirname(absolute), { recursive: true });
      await writeFile(absolute, table.text);
    } else {
      problems.push({
        file: table.file,
        line: 1,
        column: 1,
        rule: STATECHART_RULE,
        message: `${onDisk === undefined ? 'missing' : 'stale'}: ${machineFile} lowers to something else; npm run build:firmware writes it`,
      });
    }
  }
  return { tables, problems };
}

async function findMachineFiles(root: string): Promise<string[]> {
  const folder = path.join(root, HOST_DIR);
  if (!existsSync(folder)) return [];
  const names = (await readdir(folder)).filter((name) => name.endsWith('.machine.ts')).sort();
  return names.map((name) => `${HOST_DIR}/${name}`);
}

async function tableForMachineFile(root: string, machineFile: string): Promise<{ table?: Omit<TableFile, 'stale'>; problems: Problem[] }> {
  const absolute = path.join(root, machineFile);
  const source = await readFile(absolute, 'utf8');
  const at = (line: number, column: number, message: string): Problem => ({ file: machineFile, line, column, rule: STATECHART_RULE, message });

  let exports: Record<string, unknown>;
  try {
    exports = (await import(absolute)) as Record<string, unknown>;
  } catch (error) {
    return { problems: [at(1, 1, `xstate cannot load the machine: ${(error as Error).message}`)] };
  }
  const machines = Object.keys(exports).filter((name) => name.endsWith('Machine') && isMachine(exports[name]));
  if (machines.length !== 1) {
    const found = machines.length === 0 ? 'no machine' : `${machines.length} machines (${machines.join(', ')})`;
    return { problems: [at(1, 1, `exports ${found}: export one setup(...).createMachine(...) per file, as <stem>Machine`)] };
  }
  const name = machines[0]!;
  const machine = exports[name] as AnyStateMachine;
  const base = path.basename(machineFile, '.machine.ts');
  const modelFile = `${STATECHARTS_DIR}/${base}.model.ts`;
  // Machines elsewhere (test fixtures) are lowered and checked but get no table file.
  const tableWanted = path.posix.dirname(machineFile) === HOST_DIR;

  const outcome = lowerMachine(machine);
  if (!outcome.ok) {
    return {
      problems: outcome.unsupported.map((finding) => {
        const position = locateState(source, finding.state);
        return at(position.line, position.column, describeUnsupported(machine.id, name, finding));
      }),
    };
  }
  if (!tableWanted) return { problems: [] };
  if (!existsSync(path.join(root, modelFile))) {
    return { problems: [at(1, 1, `has no model file ${modelFile} exporting the <Stem>Context and <Stem>Event types the table imports`)] };
  }
  const text = emitTableModule(outcome.machine, { stem: name.slice(0, -'Machine'.length), machineFile, modelImport: `../${base}.model` });
  return { table: { file: `${TABLES_DIR}/${base}.table.ts`, machineFile, text }, problems: [] };
}

/** `machine #paymentSession (paymentSessionMachine), state #paymentSession.session: parallel states … are not supported by the table runtime: …` */
export function describeUnsupported(machineId: string, exportName: string, finding: Unsupported): string {
  const state = finding.state.length > 0 ? `, state #${[machineId, ...finding.state].join('.')}` : '';
  return `machine #${machineId} (${exportName})${state}: ${finding.feature} not supported by the table runtime: ${finding.reason}`;
}

function isMachine(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'root' in value && 'implementations' in value && 'config' in value;
}

/** Best effort: the line of the state's key inside createMachine(...), else the createMachine call. */
function locateState(source: string, statePath: string[]): { line: number; column: number } {
  let offset = Math.max(0, source.indexOf('createMachine('));
  for (const key of statePath) {
    const pattern = new RegExp(`(^|[\\s{,])(['"]?)${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\2\\s*:\\s*\\{`, 'g');
    pattern.lastIndex = offset;
    const match = pattern.exec(source);
    if (!match) break;
    offset = match.index + match[1]!.length;
  }
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}
