/**
 * The lines the client types, as bytes. Every command is an echo-off line
 * (DLE first: "no echo, no `=result`", src/jsinteractive.c jsiHandleChar)
 * so the console stays quiet except for what the command prints, and
 * starts with Ctrl-U, which clears whatever half line the board holds
 * (noise, someone's typing) in order with what follows: DLE is special
 * only at the start of an empty line.
 *
 *   evaluate:  Ctrl-U DLE print("\x02ID="+JSON.stringify((EXPR))+"\x03ID") LF
 *              DLE print("\x02ID.\x03ID") LF
 *   sync:      Ctrl-U DLE print("\x02ID.\x03ID") LF
 *   statement: DLE CODE LF   (send(): exactly what is asked, Ctrl-U only on request)
 *
 * The second line of evaluate marks the end: if EXPR threw, or did not
 * parse, no value frame comes, but the sync frame still does, after the
 * board's `Uncaught ...` report (Espruino runs lines in order).
 *
 * Code is sent 7-bit: a newline becomes ESC LF (a new input line that does
 * not execute, as EspruinoTools' CodeWriter sends multi-line statements),
 * other control bytes are refused (a 0x03 would be Ctrl-C), and non-ASCII
 * chars become \uXXXX escapes — identical inside string, template and regex
 * literals, inert in comments; Espruino has no non-ASCII identifiers.
 */
import { ConsoleChar } from '../../protocols/espruino/console-bytes';
import { FRAME_SYNC, FRAME_VALUE } from './wire-format';

const { CTRL_U, DLE, ESC_LF } = ConsoleChar;

/** The bytes (one char per byte) that evaluate `expression` and mark the end. */
export function evaluateCommand(expression: string, id: string): string {
  const code = consoleCode(trimExpression(expression), 'expression');
  // A `//` comment on the last line would swallow the closing brackets: end it with a newline.
  const tail = /\/\/[^\n]*$/.test(expression) ? ESC_LF : '';
  return `${CTRL_U}${DLE}print("\\x02${id}${FRAME_VALUE}"+JSON.stringify((${code}${tail}))+"\\x03${id}")\n` + syncLine(id);
}

/**
 * The EVAL packet's code for `expression` (packet mode): the value comes back
 * as a string `=<JSON>` or, if it threw, `!<error>`, so the RESPONSE packet
 * always holds a string and errors travel in-band. `eval` inside try/catch
 * also catches a SyntaxError in the expression (Espruino raises those as
 * catchable exceptions); the expression runs in a function's scope.
 * Non-ASCII chars are \uXXXX-escaped; packet data may hold any other byte.
 */
export function evalPacketCode(expression: string): string {
  const code = asciiOnly(trimExpression(expression));
  if (code.trim() === '') throw new Error('empty expression');
  return `(function(){try{return "="+JSON.stringify(eval(${JSON.stringify(code)}))}catch(e){return "!"+e}})()`;
}

/** A line that makes the board print the sync frame `STX id . ETX id`. */
export function syncLine(id: string): string {
  return `${DLE}print("\\x02${id}${FRAME_SYNC}\\x03${id}")\n`;
}

/** Ctrl-U (clear whatever half line the board holds, in order with what follows), then the sync line. */
export function syncCommand(id: string): string {
  return CTRL_U + syncLine(id);
}

/** A statement sent as one echo-off line, after a Ctrl-U if `clearLine`. */
export function statementCommand(code: string, clearLine = false): string {
  return `${clearLine ? CTRL_U : ''}${DLE}${consoleCode(code, 'code')}\n`;
}

/** `code` as console bytes (see the module comment); throws on bytes that would act as console controls. */
export function consoleCode(code: string, what = 'code'): string {
  if (code.trim() === '') throw new Error(`empty ${what}`);
  let out = '';
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 0x0a) out += ESC_LF;
    else if (c === 0x0d) {
      if (code.charCodeAt(i + 1) !== 0x0a) out += ESC_LF;
    } else if (c === 0x09) out += '\t';
    else if (c < 0x20 || c === 0x7f) {
      throw new Error(`${what} contains the control byte 0x${c.toString(16).padStart(2, '0')} at ${i}, which the console would act on: write it as \\x${c.toString(16).padStart(2, '0')} inside a string`);
    } else if (c > 0x7e) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += code[i];
  }
  return out;
}

/** An expression shortened to one line for messages. */
export function describeExpression(expression: string): string {
  const one = expression.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? one.slice(0, 57) + '...' : one;
}

function trimExpression(expression: string): string {
  return expression.replace(/[;\s]+$/, '');
}

function asciiOnly(code: string): string {
  return code.replace(/[^\x00-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** A JavaScript identifier path such as `strap` or `strap.status`. */
export function checkGlobalName(name: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`not a global variable name: ${JSON.stringify(name)}`);
  return name;
}
