/**
 * An error's stack as Espruino 2v29 keeps it, for the board: the text
 * jsiCheckErrors prints after `Uncaught ...` (src/jsinteractive.c prints the
 * exception's `stack` child as it is), made by src/jslex.c
 * jslPrintStackTrace, one frame per live lexer, innermost first
 * (error-report.ts, stack-frames.ts). Board code reads the same text as
 * `e.stack`: frames of the board's own code only, positions as
 * `:line:col`, no file names, nothing of the host.
 *
 * The text is a string of the board's, built by appending
 * (jsvStringIteratorAppend): it holds what fits in the board's free
 * variables (espruino-sizes.ts stringBlocks), so a recursion thousands deep
 * gives a trace cut where the board's memory ends, not one as long as the
 * host's stack.
 */
import { REPL_STACK_NAME, stackTraceText, type ErrorSite } from '../repl/error-report';
import { espruinoFrames, isAtFunctionEntry, undefinedNameIn, type V8Frame } from '../repl/stack-frames';
import type { ProgramFrame } from './context/program-runner';
import { STRING_EXT_CHARS, STRING_FIRST_CHARS } from './espruino-sizes';

export const CONSOLE_FILENAME = 'console';

/** The file name of the n-th console line since RAM was cleared (1-based): each kept apart for stack traces. */
export function consoleFilename(n: number): string {
  return `${CONSOLE_FILENAME}#${n}`;
}

function isConsoleFile(filename: string): boolean {
  return filename === CONSOLE_FILENAME || filename.startsWith(CONSOLE_FILENAME + '#');
}

/**
 * Espruino's frames for V8's frames in board code: console lines (the top
 * level named `REPL`), boot code and Storage modules (top level unnamed: the
 * stackTraceName 2v29 gives them is not in the sources this model was built
 * from).
 */
export function boardTrace(frames: readonly ProgramFrame[], undefinedName?: string): ErrorSite[] {
  const v8: V8Frame[] = frames.map((f) => {
    const frame: V8Frame = { source: f.source, line: f.line, col: f.col, calledFromBoardCode: f.calledFromBoardCode };
    if (f.name !== undefined) frame.v8Name = f.name;
    if (isConsoleFile(f.filename)) frame.topLevelName = REPL_STACK_NAME;
    return frame;
  });
  return v8.length ? espruinoFrames(v8, undefinedName) : [];
}

/** The frames of an error with this name and message (an overflow's refused call left out). */
export function boardSites(frames: readonly ProgramFrame[], name: string, message: string): ErrorSite[] {
  return boardTrace(isStackOverflow(name, message) ? withoutRefusedCall(frames) : frames, undefinedNameIn(name, message));
}

/** The most characters a string can hold in `freeBlocks` variables (the inverse of stringBlocks). */
export function charsFitting(freeBlocks: number): number {
  return freeBlocks <= 0 ? 0 : STRING_FIRST_CHARS + (freeBlocks - 1) * STRING_EXT_CHARS;
}

/** `e.stack` for an error whose frames in board code are `frames`, cut to what `freeBlocks` hold. */
export function boardStackText(frames: readonly ProgramFrame[], name: string, message: string, freeBlocks: number): string {
  const limit = charsFitting(freeBlocks);
  const sites = boardSites(frames, name, message);
  let text = '';
  for (const site of sites) {
    if (text.length >= limit) break;
    text += siteText(site);
  }
  return text.length > limit ? text.slice(0, limit) : text;
}

/** Sites are made once per frame and never changed (stack-frames.ts): their text is kept with them. */
const siteTexts = new WeakMap<ErrorSite, string>();

/** One frame's lines of jslPrintStackTrace. */
export function siteText(site: ErrorSite): string {
  let text = siteTexts.get(site);
  if (text === undefined) siteTexts.set(site, (text = stackTraceText(site)));
  return text;
}

/** V8's words and Espruino's for running out of stack (src/jsparse.c jspCheckStackPosition). */
function isStackOverflow(name: string, message: string): boolean {
  return (name === 'RangeError' && message === 'Maximum call stack size exceeded') || (name === 'Error' && message === 'Too much recursion - the stack is about to overflow');
}

/**
 * An overflow's frames as Espruino has them: the call that ran out of stack
 * never started (its frame, at the function's entry, is dropped), so the
 * innermost frame is the caller, at the call.
 */
function withoutRefusedCall(frames: readonly ProgramFrame[]): readonly ProgramFrame[] {
  const first = frames[0];
  return first && frames.length > 1 && isAtFunctionEntry(first.source, first.line, first.col) ? frames.slice(1) : frames;
}
