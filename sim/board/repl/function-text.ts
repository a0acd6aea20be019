/**
 * Functions as Espruino prints them: `function (a,b) {body}`
 * (src/jswrap_json.c jsfGetJSONForFunctionWithCallback). Espruino keeps a
 * function's parameters and its body as tokenised text; with JSON_LIMIT (the `=`
 * result) the body is elided as `{ ... }`, native functions print
 * `{ [native code] }`.
 *
 * V8 only gives us Function.prototype.toString, so parameters and body are
 * recovered with acorn; the body is re-joined token by token, adding a space only
 * between two word-like tokens, which approximates how Espruino re-prints its
 * tokenised code (jslPrintTokenisedString).
 */
import { parse, tokenizer, type Node } from 'acorn';
import { originalSource } from '../runtime/context/loop-guard';

export interface FunctionText {
  /** `(a,b)` */
  params: string;
  /** `{ ... }`, `{ [native code] }` or `{body}` */
  body: string;
}

export function functionText(fn: (...args: unknown[]) => unknown, limit: boolean): FunctionText {
  const source = sourceOf(fn);
  if (source === undefined || /\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    return { params: '()', body: '{ [native code] }' };
  }
  const shape = shapeOf(source);
  if (!shape) return { params: '()', body: limit ? '{ ... }' : '{}' };
  const params = '(' + shape.params.join(',') + ')';
  if (limit) return { params, body: '{ ... }' };
  const code = rejoinTokens(shape.body);
  if (code === '') return { params, body: '{}' };
  return { params, body: '{' + (shape.returnsExpression ? 'return ' : '') + code + '}' };
}

// ---------------------------------------------------------------------------

interface Shape {
  params: string[];
  body: string;
  returnsExpression: boolean;
}

interface FunctionLike extends Node {
  params: Array<Node & { name?: string }>;
  body: Node & { type: string };
  expression?: boolean;
}

function sourceOf(fn: (...args: unknown[]) => unknown): string | undefined {
  try {
    // board code is compiled with the busy-loop guard in it: print it as typed
    return originalSource(Function.prototype.toString.call(fn));
  } catch {
    return undefined;
  }
}

function shapeOf(source: string): Shape | undefined {
  // Method shorthand (`f(a) {}`) only parses inside an object literal.
  for (const text of [`(${source})`, `({${source}})`]) {
    const shape = firstFunctionShape(text);
    if (shape) return shape;
  }
  return undefined;
}

/** Parameters and body of the first function in `text`; a class is its constructor (none: no parameters, empty body). */
function firstFunctionShape(text: string): Shape | undefined {
  let program: Node;
  try {
    program = parse(text, { ecmaVersion: 'latest', sourceType: 'script' });
  } catch {
    return undefined;
  }
  const fromFunction = (fn: FunctionLike): Shape => {
    const params = fn.params.map((p) => text.slice(p.start, p.end));
    return fn.body.type === 'BlockStatement'
      ? { params, body: text.slice(fn.body.start + 1, fn.body.end - 1), returnsExpression: false }
      : { params, body: text.slice(fn.body.start, fn.body.end), returnsExpression: true };
  };
  const visit = (node: unknown): Shape | undefined => {
    if (!node || typeof node !== 'object') return undefined;
    const n = node as Node & Record<string, unknown>;
    if (n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression') return fromFunction(n as unknown as FunctionLike);
    if (n.type === 'ClassExpression') {
      const members = (n.body as { body: Array<Node & { kind?: string; value?: unknown }> }).body;
      const ctor = members.find((m) => m.kind === 'constructor');
      return ctor ? fromFunction(ctor.value as FunctionLike) : { params: [], body: '', returnsExpression: false };
    }
    for (const key of Object.keys(n)) {
      const child = n[key];
      const children = Array.isArray(child) ? child : [child];
      for (const c of children) {
        if (c && typeof c === 'object' && 'type' in c) {
          const found = visit(c);
          if (found) return found;
        }
      }
    }
    return undefined;
  };
  return visit(program);
}

function rejoinTokens(code: string): string {
  let out = '';
  let last = '';
  try {
    for (const token of tokenizer(code, { ecmaVersion: 'latest' })) {
      const text = code.slice(token.start, token.end);
      if (last && isWordChar(last[last.length - 1]!) && isWordChar(text[0]!)) out += ' ';
      out += text;
      last = text;
    }
  } catch {
    return code.trim();
  }
  return out;
}

function isWordChar(ch: string): boolean {
  return /[A-Za-z0-9_$]/.test(ch);
}
