import * as vm from 'node:vm';
import * as acorn from 'acorn';
import MagicString from 'magic-string';
import { walk } from './ast-walk';
import { ABSENT_GLOBALS, ABSENT_STATICS } from './espruino-2v29';

// For tests: run built firmware in V8 the way Espruino runs it as far as
// declarations go. Each `function f(){}` becomes `var f = function f(){};` in
// place, so f is undefined until its declaration has run (Espruino hoists
// nothing), and the globals and statics Espruino lacks are removed.

export function withoutFunctionHoisting(code: string): string {
  const program = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script' });
  const magic = new MagicString(code);
  walk(program, (node) => {
    if (node.type !== 'FunctionDeclaration' || !node.id) return;
    // Attach `;` to the end of this declaration and `var f = ` to the start of the next, so
    // adjacent declarations (`}function b(`) come out as `};var b = function b(`.
    magic.prependRight(node.start, `var ${node.id.name} = `);
    magic.appendLeft(node.end, ';');
  });
  return magic.toString();
}

export interface RunOptions {
  /** Extra globals (e.g. Espruino's) for the code to use. */
  globals?: Record<string, unknown>;
  /** Remove the globals and statics Espruino 2v29 lacks; default true. */
  espruinoBuiltins?: boolean;
}

/** Runs the code without hoisting and returns what it printed, one entry per print() call. */
export function runWithoutHoisting(code: string, options: RunOptions = {}): string[] {
  const printed: string[] = [];
  const context = vm.createContext({
    print: (...parts: unknown[]) => printed.push(parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ')),
    ...options.globals,
  });
  if (options.espruinoBuiltins !== false) vm.runInContext(removeAbsentBuiltins(), context);
  vm.runInContext(withoutFunctionHoisting(code), context, { timeout: 5000 });
  return printed;
}

function removeAbsentBuiltins(): string {
  const lines = Object.keys(ABSENT_GLOBALS).map((name) => `delete globalThis[${JSON.stringify(name)}];`);
  for (const [owner, members] of Object.entries(ABSENT_STATICS)) {
    for (const member of Object.keys(members)) lines.push(`delete ${owner}[${JSON.stringify(member)}];`);
  }
  return lines.join('\n');
}
