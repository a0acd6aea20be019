// PROVISIONAL STUB — owned by the REPL helper, who replaces it with Espruino's real formatting.
/** Text that `print(...)` / `console.log(...)` put on the console for these arguments (no line ending). */
export function formatPrint(args: unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ');
}

/** Text after '=' that the REPL prints for a line's result. */
export function formatResult(value: unknown): string {
  return String(value);
}
