/**
 * Runtime checks of JSON values against the contract's types (contract.ts),
 * hand-written so that a reply or an event from the strap is checked, not
 * cast. A check answers `undefined` when the value fits, or the first misfit,
 * naming the field ("battV: expected a number, got \"4.2\"").
 *
 * `exact` also refuses object fields the contract does not declare: the
 * contract test against the firmware uses it (the contract must name every
 * field the strap sends); a host reading replies does not, so that a newer
 * firmware's extra field does not break it.
 */

export interface Misfit {
  /** Where, from the value's root: `battV`, `errors[2]`, `` for the value itself. */
  field: string;
  expected: string;
  /** The value found, as JSON (cut short), or `absent`. */
  got: string;
  message: string;
}

export interface CheckOptions {
  exact?: boolean;
}

/** A check of a value of type T. `T` lives in the type alone (never set). */
export interface Validator<T> {
  readonly expected: string;
  readonly type?: T;
  check(value: unknown, field: string, options: CheckOptions): Misfit | undefined;
}

export type TypeOf<V> = V extends Validator<infer T> ? T : never;

export type Checked<T> = { ok: true; value: T } | { ok: false; misfit: Misfit };

/** `value` as a T, or why it is not one. */
export function checked<T>(validator: Validator<T>, value: unknown, options: CheckOptions = {}): Checked<T> {
  const misfit = validator.check(value, '', options);
  return misfit ? { ok: false, misfit } : { ok: true, value: value as T };
}

export function misfit(field: string, expected: string, value: unknown): Misfit {
  const got = show(value);
  return { field, expected, got, message: `${field || 'the value'}: expected ${expected}, got ${got}` };
}

export const number: Validator<number> = leaf('a number', (v) => typeof v === 'number' && isFinite(v));
export const string: Validator<string> = leaf('a string', (v) => typeof v === 'string');
export const boolean: Validator<boolean> = leaf('a boolean', (v) => typeof v === 'boolean');
/** Any JSON value (what `ping` echoes). */
export const json: Validator<unknown> = leaf('a JSON value', (v) => v !== undefined);
/** Absent or JSON null: the params of a method that takes none (sent as `null`). */
export const nothing: Validator<null | undefined> = leaf('null', (v) => v === null || v === undefined);

/** One of the given strings or numbers (a union of literals). */
export function oneOf<const L extends readonly (string | number | boolean)[]>(values: L): Validator<L[number]> {
  return leaf(values.map((v) => JSON.stringify(v)).join(' | '), (v) => values.includes(v as L[number]));
}

/** A string that matches `pattern` (anchored by the caller). */
export function matching(pattern: RegExp, expected: string): Validator<string> {
  return leaf(expected, (v) => typeof v === 'string' && pattern.test(v));
}

export function arrayOf<T>(item: Validator<T>): Validator<T[]> {
  const expected = `an array of ${item.expected}`;
  return {
    expected,
    check(value, field, options) {
      if (!Array.isArray(value)) return misfit(field, expected, value);
      for (let i = 0; i < value.length; i++) {
        const wrong = item.check(value[i], `${field}[${i}]`, options);
        if (wrong) return wrong;
      }
      return undefined;
    },
  };
}

type Shape = Record<string, Validator<unknown>>;
type Fields<R extends Shape, O extends Shape> = { [K in keyof R]: TypeOf<R[K]> } & { [K in keyof O]?: TypeOf<O[K]> };

/** A JSON object with the `required` fields and, when present, the `optional` ones. */
export function object<R extends Shape, O extends Shape = Record<never, never>>(required: R, optional?: O): Validator<Fields<R, O>> {
  const maybe: Shape = optional ?? {};
  return {
    expected: 'an object',
    check(value, field, options) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return misfit(field, 'an object', value);
      const record = value as Record<string, unknown>;
      const at = (key: string) => (field ? `${field}.${key}` : key);
      for (const key of Object.keys(required)) {
        if (!(key in record)) return misfit(at(key), required[key]!.expected, undefined);
        const wrong = required[key]!.check(record[key], at(key), options);
        if (wrong) return wrong;
      }
      for (const key of Object.keys(maybe)) {
        if (record[key] === undefined) continue;
        const wrong = maybe[key]!.check(record[key], at(key), options);
        if (wrong) return wrong;
      }
      if (options.exact) {
        const extra = Object.keys(record).find((key) => !(key in required) && !(key in maybe));
        if (extra !== undefined) return misfit(at(extra), 'no such field (not in the contract)', record[extra]);
      }
      return undefined;
    },
  };
}

// ---------------------------------------------------------------------------

function leaf<T>(expected: string, test: (value: unknown) => boolean): Validator<T> {
  return {
    expected,
    check: (value, field) => (test(value) ? undefined : misfit(field, expected, value)),
  };
}

function show(value: unknown): string {
  if (value === undefined) return 'absent';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}
