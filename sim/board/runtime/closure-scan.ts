/**
 * What the board's closures hold, read through V8's inspector: the host sees
 * a function object but not the scopes it keeps (V8 gives no API for them),
 * and a value kept only in a closure (`var f = (function () { var a = [];
 * return function () { a.push({}) } })()`) is a JsVar on Espruino like any
 * other. The inspector protocol's Runtime.getProperties answers a function's
 * `[[Scopes]]`: the variables a live closure keeps (V8 keeps exactly those
 * that inner functions use), and the script scope (top-level `let`/`const`,
 * on no global object).
 *
 * A scan costs a few milliseconds (a protocol message per function and per
 * scope), so the memory count uses it only when the host heap says the
 * board holds more than its count sees (memory-guard.ts): without it such a
 * board would never run out of memory and would take the host's heap.
 *
 * Bridging: the protocol names objects by ids, the host walks references.
 * The prelude's `__boardScan__` (boundary-prelude.ts) hands the protocol the
 * functions the host asks about and hands the host back the values the
 * protocol names; it is not writable, so board code cannot redirect it, and
 * what board code passes it is read only inside a scan.
 */
import { createRequire } from 'node:module';
import type inspector from 'node:inspector';

/** A variable a function's closure keeps, and its value (a board object, or a primitive). */
export interface ScopeVariable {
  name: string;
  value: unknown;
}

/**
 * One scope a function keeps (innermost first): V8's description of it
 * ("Closure (f)", "Block", "Script") and its variables. The protocol gives a
 * scope no lasting identity (each read makes a new remote object), so the
 * count tells two functions' shared scope by what it holds.
 */
export interface KeptScope {
  kind: string;
  description: string;
  variables: ScopeVariable[];
}

export interface ScanBridge {
  /** Puts the functions `__boardScan__()` returns next. */
  offer(functions: readonly Function[]): void;
  /** What `__boardScan__(values)` was last given. */
  take(): unknown[];
}

interface RemoteObject {
  type: string;
  subtype?: string;
  value?: unknown;
  unserializableValue?: string;
  objectId?: string;
  description?: string;
}

interface PropertyDescriptor {
  name: string;
  value?: RemoteObject;
}

interface Properties {
  result: PropertyDescriptor[];
  internalProperties?: PropertyDescriptor[];
}

/** Scope kinds whose variables are the board's own (not the global object, which the count walks itself). */
const KEPT_SCOPES = new Set(['Closure', 'Block', 'Script', 'Catch']);

let session: inspector.Session | undefined;

function post<T>(method: string, params?: object): T {
  let result: T | undefined;
  let failure: Error | null = null;
  // an in-process session answers before post returns
  session!.post(method, params, (error, answer) => {
    failure = error;
    result = answer as T;
  });
  if (failure) throw failure;
  if (result === undefined) throw new Error(`inspector: ${method} gave no answer`);
  return result;
}

/**
 * The scopes the closures of `functions` keep, one list per function (in
 * `functions`' order, innermost scope first), read in the context named
 * `contextName`. Undefined when no inspector is available (another tool
 * holds it, a build without it).
 */
export function keptScopes(contextName: string, bridge: ScanBridge, functions: readonly Function[]): KeptScope[][] | undefined {
  if (functions.length === 0) return [];
  try {
    session ??= connect();
  } catch {
    return undefined;
  }
  const contexts: Array<{ id: number; name: string }> = [];
  const listen = (m: { params: { context: { id: number; name: string } } }) => contexts.push(m.params.context);
  session.on('Runtime.executionContextCreated', listen);
  try {
    post('Runtime.enable');
    const context = contexts.find((c) => c.name === contextName);
    if (!context) return undefined;
    bridge.offer(functions);
    const list = post<{ result: RemoteObject }>('Runtime.evaluate', { expression: '__boardScan__()', contextId: context.id, objectGroup: 'scan', silent: true }).result;
    const scan = post<{ result: RemoteObject }>('Runtime.evaluate', { expression: '__boardScan__', contextId: context.id, objectGroup: 'scan', silent: true }).result;
    if (!list.objectId || !scan.objectId) return undefined;
    const items = ownProperties(list.objectId).result.filter((p) => /^\d+$/.test(p.name));
    const perFunction: RemoteScope[][] = [];
    for (const item of items) perFunction[Number(item.name)] = item.value?.objectId ? remoteScopes(item.value.objectId) : [];
    // objects come back to the host as references, in one call
    const objectIds: string[] = [];
    for (const scopes of perFunction) for (const scope of scopes ?? []) for (const v of scope.variables) if (v.remote.objectId) objectIds.push(v.remote.objectId);
    let objects: unknown[] = [];
    if (objectIds.length > 0) {
      post('Runtime.callFunctionOn', {
        objectId: scan.objectId,
        functionDeclaration: 'function (...values) { this(values); }',
        arguments: objectIds.map((objectId) => ({ objectId })),
        objectGroup: 'scan',
        silent: true,
      });
      objects = bridge.take();
    }
    let next = 0;
    return functions.map((_, i) =>
      (perFunction[i] ?? []).map((scope) => ({
        kind: scope.kind,
        description: scope.description,
        variables: scope.variables.map((v) => ({ name: v.name, value: v.remote.objectId ? objects[next++] : primitive(v.remote) })),
      })),
    );
  } catch {
    return undefined;
  } finally {
    bridge.offer([]);
    try {
      post('Runtime.releaseObjectGroup', { objectGroup: 'scan' });
      post('Runtime.disable');
    } catch {
      // the session went away: the next scan connects again
      session = undefined;
    }
    session?.off('Runtime.executionContextCreated', listen);
  }
}

/** Loaded on first use: a Node built without the inspector throws here, and the board counts without closures. */
function connect(): inspector.Session {
  const { Session } = createRequire(import.meta.url)('node:inspector') as typeof inspector;
  const s = new Session();
  s.connect();
  return s;
}

function ownProperties(objectId: string): Properties {
  return post<Properties>('Runtime.getProperties', { objectId, ownProperties: true, generatePreview: false });
}

interface RemoteScope {
  kind: string;
  description: string;
  variables: Array<{ name: string; remote: RemoteObject }>;
}

/** A function's kept scopes, innermost first, with their variables as the protocol names them. */
function remoteScopes(functionId: string): RemoteScope[] {
  const scopes = ownProperties(functionId).internalProperties?.find((p) => p.name === '[[Scopes]]')?.value?.objectId;
  if (!scopes) return [];
  const out: RemoteScope[] = [];
  for (const entry of ownProperties(scopes).result) {
    const scope = entry.value;
    const kind = scope ? scopeKind(scope) : '';
    if (!scope?.objectId || !KEPT_SCOPES.has(kind)) continue;
    const variables: RemoteScope['variables'] = [];
    for (const variable of ownProperties(scope.objectId).result) if (variable.value) variables.push({ name: variable.name, remote: variable.value });
    out.push({ kind, description: scope.description ?? kind, variables });
  }
  return out;
}

/** "Closure (f)", "Block", "Script", "Global": the kind is the description's first word. */
function scopeKind(scope: RemoteObject): string {
  return (scope.description ?? '').split(' ')[0]!;
}

function primitive(remote: RemoteObject): unknown {
  if (remote.type === 'undefined') return undefined;
  if (remote.unserializableValue !== undefined) return Number(remote.unserializableValue);
  return remote.value;
}
