/**
 * Espruino's stack frames (error-report.ts) from what V8 knows of an error:
 * the `file:line:col` frames of its stack that fall in code the board ran.
 *
 * For each such frame, innermost first:
 *  - inside a function: Espruino's lexer for that call runs over the
 *    function's code, which starts at the first token of its body
 *    (src/jsparse.c jspeFunctionDefinitionInternal, jslCharPosNew at the token
 *    after `{`; an arrow's expression body starts at its first token), so the
 *    position is counted from there and the source line is the body's;
 *    its name is the one the caller used (jspeFactorFunctionCall hands the
 *    callee's name to jspeFunctionCall). A function the system or a native
 *    function called (jspExecuteFunction: no name) has none;
 *  - at the top level of the code: the code's own lexer, named by
 *    jspEvaluateVar's stackTraceName (`REPL` for a console line); nothing
 *    outside it is printed.
 *
 * The column inside a frame is V8's (the start of the failing expression or
 * call), where Espruino reports the start of the token before the one its
 * parser stood on (lex->tokenLastStart).
 */
import { parse, tokenizer, type Node } from 'acorn';
import type { ErrorSite } from './error-report';

/** A frame of V8's stack in board code. */
export interface V8Frame {
  /** The code the frame's position counts in. */
  source: string;
  line: number;
  col: number;
  /** V8's function name (`f`, `Object.m`, `<anonymous>`), if any. */
  v8Name?: string;
  /** The next frame of V8's stack (the caller) is board code too: a direct call by name. */
  calledFromBoardCode: boolean;
  /**
   * jspEvaluateVar's stackTraceName for the top level of this code (`REPL`
   * for a console line); undefined prints the frame without a name.
   */
  topLevelName?: string;
}

/**
 * Espruino's frames for V8's, innermost first. `undefinedName` is the name of
 * a ReferenceError: jsvSkipName raises it right after the name's token, so
 * the innermost position is that name's start (V8 may point at the statement).
 */
/**
 * Frames worked out before, by source: a deep recursion repeats one frame
 * thousands of times, and code that makes many errors repeats its sites.
 * Sites are never changed once made.
 */
const frameMemo = new Map<string, Map<string, { site: ErrorSite; top: boolean }>>();
const MEMO_SOURCES = 16;
const MEMO_FRAMES = 4096;

export function espruinoFrames(frames: readonly V8Frame[], undefinedName?: string): ErrorSite[] {
  const out: ErrorSite[] = [];
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    const key = `${i === 0}|${frame.line}|${frame.col}|${frame.v8Name}|${frame.calledFromBoardCode}|${frame.topLevelName}|${undefinedName}`;
    let bySource = frameMemo.get(frame.source);
    if (!bySource) {
      if (frameMemo.size >= MEMO_SOURCES) frameMemo.delete(frameMemo.keys().next().value!);
      frameMemo.set(frame.source, (bySource = new Map()));
    }
    let made = bySource.get(key);
    if (!made) {
      if (bySource.size >= MEMO_FRAMES) bySource.clear();
      bySource.set(key, (made = espruinoFrame(frame, i === 0, undefinedName)));
    }
    out.push(made.site);
    // the top level of the code: jspEvaluateVar's lexer; what called it (nothing, for a console line) ends the trace
    if (made.top) break;
  }
  return out;
}

function espruinoFrame(frame: V8Frame, innermost: boolean, undefinedName?: string): { site: ErrorSite; top: boolean } {
  const ast = parseSource(frame.source);
  const v8Offset = offsetOf(frame.source, frame.line, frame.col);
  const offset = ast ? espruinoOffset(frame.source, ast, v8Offset, innermost, undefinedName) : v8Offset;
  const body = ast ? enclosingFunctionBody(frame.source, ast, v8Offset) : undefined;
  if (!body) {
    const site = { source: frame.source, ...siteIn(frame.source, offset) };
    return { site: frame.topLevelName === undefined ? site : { ...site, functionName: frame.topLevelName }, top: true };
  }
  const site = siteIn(body.text, offset - body.start);
  const name = frame.calledFromBoardCode ? callName(frame.v8Name) : undefined;
  return { site: name === undefined ? { source: body.text, ...site } : { source: body.text, ...site, functionName: name }, top: false };
}

/** V8 stack lines → `{ file, line, col, name }`, in order (innermost first); a frame without a position has file ''. */
export function parseV8Stack(stack: string): { file: string; line: number; col: number; name?: string }[] {
  const frames: { file: string; line: number; col: number; name?: string }[] = [];
  for (const raw of stack.split('\n')) {
    const m = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/.exec(raw);
    if (!m) {
      if (/^\s*at /.test(raw)) frames.push({ file: '', line: 0, col: 0 });
      continue;
    }
    const frame: { file: string; line: number; col: number; name?: string } = { file: m[2]!, line: Number(m[3]), col: Number(m[4]) };
    if (m[1] !== undefined) frame.name = m[1];
    frames.push(frame);
  }
  return frames;
}

function callName(v8Name: string | undefined): string | undefined {
  if (!v8Name || v8Name.includes('<anonymous>')) return undefined;
  const name = v8Name.replace(/^new /, '').replace(/ \[as (.+)\]$/, '.$1');
  const last = name.slice(name.lastIndexOf('.') + 1);
  return last === '' ? undefined : last;
}

interface Body {
  start: number;
  text: string;
}

/** The last source parsed: a trace's frames mostly share one (a firmware bundle is parsed once per error, not per frame). */
let lastParsed: { source: string; ast: Node | undefined } | undefined;

function parseSource(source: string): Node | undefined {
  if (lastParsed?.source === source) return lastParsed.ast;
  let ast: Node | undefined;
  try {
    ast = parse(source, { ecmaVersion: 'latest', allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true }) as Node;
  } catch {
    ast = undefined;
  }
  lastParsed = { source, ast };
  return ast;
}

/**
 * Where Espruino's lexer stood for V8's position: lex->tokenLastStart, the
 * start of the token before the one the parser was on.
 *  - A caller's frame is mid-call: jspeFunctionCall has matched the call's
 *    `)` before running the callee, so its last token is that `)`.
 *  - An Error the code made (`new Error(...)`, `Error(...)`): the trace is
 *    taken when the constructor runs, after the arguments' `)` (as V8 takes
 *    its stack at construction, pointing at `new`), wherever it is thrown.
 *    A public stack-trace parser's test fixture quotes Espruino's
 *    `new Error().stack` as `    at asd (:1:23)` under
 *    `console.log(new Error().stack);` — the `)` of `Error()`.
 *  - A name that is not defined: jsvSkipName raises right after its token, at
 *    its start (V8 may point at the statement).
 * Elsewhere V8's position stands (`o.f()` with no f: both at `f`, as a
 * public Bangle.js client's test quotes `    at REPL (:1:14)` under
 * `print(Bangle.getBattery())`).
 */
function espruinoOffset(source: string, ast: Node, offset: number, innermost: boolean, undefinedName?: string): number {
  if (!innermost) {
    const call = innermostNode(ast, offset, (n) => n.type === 'CallExpression' || n.type === 'NewExpression');
    return call && source[call.end - 1] === ')' ? call.end - 1 : offset;
  }
  if (undefinedName !== undefined) return undefinedNameOffset(ast, offset, undefinedName);
  const made = innermostNode(ast, offset, (n) => {
    if (n.start !== offset) return false;
    if (n.type === 'NewExpression') return true;
    const callee = (n as Node & { callee?: Node & { name?: unknown } }).callee;
    return n.type === 'CallExpression' && callee?.type === 'Identifier' && /Error$/.test(String(callee.name));
  });
  return made ? lastTokenStart(source, made.start, made.end) : offset;
}

function undefinedNameOffset(ast: Node, offset: number, undefinedName: string): number {
  const statement = innermostNode(ast, offset, (n) => /Statement$|Declaration$/.test(n.type) && n.type !== 'BlockStatement');
  let found: Node | undefined;
  if (statement) {
    const visit = (node: Node): void => {
      if (/Function/.test(node.type) && node !== statement) return;
      const named = node as Node & { name?: unknown };
      if (node.type === 'Identifier' && named.name === undefinedName && node.start >= offset && (!found || node.start < found.start)) found = node;
      forEachChild(node, visit);
    };
    visit(statement);
  }
  return found ? found.start : offset;
}

function innermostNode(ast: Node, offset: number, wanted: (n: Node) => boolean): Node | undefined {
  let best: Node | undefined;
  const visit = (node: Node): void => {
    if (offset < node.start || offset >= node.end) return;
    if (wanted(node)) best = node;
    forEachChild(node, visit);
  };
  visit(ast);
  return best;
}

function lastTokenStart(source: string, start: number, end: number): number {
  let last = start;
  try {
    for (const token of tokenizer(source.slice(start, end), { ecmaVersion: 'latest' })) last = start + token.start;
  } catch {
    return start;
  }
  return last;
}

function forEachChild(node: Node, visit: (child: Node) => void): void {
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const child of value) if (isNode(child)) visit(child);
    } else if (isNode(value)) visit(value);
  }
}

/** The body text of the innermost function whose body holds `offset`. */
function enclosingFunctionBody(source: string, ast: Node, offset: number): Body | undefined {
  let best: Body | undefined;
  const visit = (node: Node): void => {
    if (offset < node.start || offset >= node.end) return;
    const fn = node as Node & { body?: Node & { body?: Node[] }; expression?: boolean };
    if (/Function/.test(node.type) && fn.body) {
      const body = fn.body;
      if (body.type === 'BlockStatement') {
        const statements = body.body ?? [];
        const first = statements[0];
        const last = statements[statements.length - 1];
        // a position at the body's entry (before its first statement) counts as its first token
        if (first && last && offset > body.start && offset < last.end) best = { start: first.start, text: source.slice(first.start, last.end) };
      } else if (offset >= body.start && offset < body.end) {
        best = { start: body.start, text: source.slice(body.start, body.end) };
      }
    }
    forEachChild(node, visit);
  };
  visit(ast);
  return best;
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string' && typeof (v as { start?: unknown }).start === 'number';
}

function offsetOf(source: string, line: number, col: number): number {
  const lines = source.split('\n');
  let idx = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) idx += lines[i]!.length + 1;
  return idx + col - 1;
}

function siteIn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, offset)).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

/** The name in a ReferenceError's message (`x is not defined`, V8's words, or `"x" is not defined`, Espruino's). */
export function undefinedName(error: unknown): string | undefined {
  try {
    if (!error || typeof error !== 'object') return undefined;
    return undefinedNameIn((error as { name?: unknown }).name, (error as { message?: unknown }).message);
  } catch {
    return undefined;
  }
}

/** undefinedName for an error's name and message already read. */
export function undefinedNameIn(name: unknown, message: unknown): string | undefined {
  if (name !== 'ReferenceError' || typeof message !== 'string') return undefined;
  const m = /^"?([^"\s]+)"? is not defined$/.exec(message);
  return m ? m[1] : undefined;
}

/**
 * The position is a function's entry: inside its body's braces, before its
 * first statement (where the busy-loop guard sits and where V8 finds its
 * stack exhausted). On Espruino that call never started: jspeFunctionCall
 * checks the stack (jspCheckStackPosition) before the callee's lexer exists.
 */
export function isAtFunctionEntry(source: string, line: number, col: number): boolean {
  const ast = parseSource(source);
  if (!ast) return false;
  const offset = offsetOf(source, line, col);
  let entry = false;
  const visit = (node: Node): void => {
    if (offset < node.start || offset >= node.end) return;
    const fn = node as Node & { body?: Node & { body?: Node[] } };
    if (/Function/.test(node.type) && fn.body?.type === 'BlockStatement') {
      const first = fn.body.body?.[0];
      entry = offset > fn.body.start && (first === undefined || offset < first.start);
    }
    forEachChild(node, visit);
  };
  visit(ast);
  return entry;
}
