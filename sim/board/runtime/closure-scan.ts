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
 * The first read of a function costs protocol messages for it and each of
 * its scopes; once a function's scopes are known (ScopeMemo), a count reads
 * each scope once, through one function keeping it: a few ms for the strap.
 * Deep counts are made by process.memory() and when the host heap has grown
 * (memory-guard.ts); the board's frequent counts add what the last one found.
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

/** One scope a function keeps: V8's description of it ("Closure (f)", "Block", "Script") and its variables now. */
export interface KeptScope {
  kind: string;
  description: string;
  variables: ScopeVariable[];
}

/**
 * A scope as the board knows it from count to count: V8 gives a closure's
 * scopes no identity (each read makes new remote objects), but a closure's
 * scopes never change, so the first read of a function tells which of its
 * scopes it shares with functions read before (by what they hold, in the
 * same place) and later counts read each scope once, through any function
 * that keeps it.
 */
export interface ScopeIdentity {
  readonly kind: string;
  readonly description: string;
  readonly parent: ScopeIdentity | undefined;
  /** Scopes between this one and the outermost kept one. */
  readonly depth: number;
  /** A few functions keeping it (to read it through when no function of the round does). */
  readonly members: Array<WeakRef<Function>>;
}

/** A function's kept scope: which one, and what it holds at this count. */
export interface ScopeRead {
  identity: ScopeIdentity;
  scope: KeptScope;
}

/** What a board's counts learn about its closures' scopes; one per board realm. */
export class ScopeMemo {
  /** A function's kept scopes, innermost first. */
  readonly chains = new WeakMap<Function, ScopeIdentity[]>();
  /** The scopes known inside each scope (undefined: outermost). */
  readonly children = new Map<ScopeIdentity | undefined, ScopeIdentity[]>();
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
/** Functions remembered per scope to read it through. */
const MEMBERS_KEPT = 4;
/** Known scopes in one place tried before a scope read for the first time is taken as new. */
const CANDIDATES_TRIED = 8;

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

/** A scope read this count, before its objects are handed back. */
interface RawScope {
  kind: string;
  description: string;
  variables: Array<{ name: string; remote: RemoteObject }>;
}

/**
 * One count's reader of the closures' scopes in the context named
 * `contextName`: each call takes a round of functions and gives, per
 * function, its kept scopes innermost first; each scope is read once per
 * reader. Undefined when no inspector is available (another tool holds it, a
 * build without it).
 */
export function scopeReader(contextName: string, bridge: ScanBridge, memo: ScopeMemo): (functions: readonly Function[]) => ScopeRead[][] | undefined {
  const contents = new Map<ScopeIdentity, KeptScope>();
  const byKey = new Map<string, ScopeIdentity>();
  const known = (identity: ScopeIdentity, scope: KeptScope): void => {
    contents.set(identity, scope);
    byKey.set(scopeKey(identity.parent, scope), identity);
  };
  return (functions) => {
    if (functions.length === 0) return [];
    return inspect(contextName, bridge, (call) => {
      const ids = call.functionIds(functions);
      // functions read before: only their scopes this count has not read; the others: every scope
      const pending: Array<{ identity: ScopeIdentity; raw: RawScope | undefined; remote: RemoteObject }> = [];
      const fresh: Array<{ fn: Function; raws: RawScope[] }> = [];
      const queued = new Set<ScopeIdentity>();
      for (let i = 0; i < functions.length; i++) {
        const chain = memo.chains.get(functions[i]!);
        if (chain && chain.every((identity) => contents.has(identity) || queued.has(identity))) continue;
        const entries = ids[i] ? keptEntries(ids[i]!) : [];
        if (chain && chain.length === entries.length) {
          for (let j = 0; j < chain.length; j++) {
            if (contents.has(chain[j]!) || queued.has(chain[j]!)) continue;
            queued.add(chain[j]!);
            pending.push({ identity: chain[j]!, raw: undefined, remote: entries[j]! });
          }
        } else fresh.push({ fn: functions[i]!, raws: entries.map(readScope) });
      }
      for (const p of pending) p.raw = readScope(p.remote);
      const resolve = call.resolver([...pending.map((p) => p.raw!), ...fresh.flatMap((f) => f.raws)]);
      for (const p of pending) known(p.identity, resolve(p.raw!));
      for (const { fn, raws } of fresh) {
        const chain: ScopeIdentity[] = [];
        let parent: ScopeIdentity | undefined;
        for (let j = raws.length - 1; j >= 0; j--) {
          const scope = resolve(raws[j]!);
          const identity = byKey.get(scopeKey(parent, scope)) ?? matchKnown(parent, scope) ?? newIdentity(parent, scope);
          if (!contents.has(identity)) known(identity, scope);
          addMember(identity, fn);
          chain.unshift(identity);
          parent = identity;
        }
        memo.chains.set(fn, chain);
      }
      return functions.map((fn) => (memo.chains.get(fn) ?? []).map((identity) => ({ identity, scope: contents.get(identity)! })));

      /** A known scope in this place not read this count, read now through a function keeping it, that holds the same. */
      function matchKnown(parent: ScopeIdentity | undefined, scope: KeptScope): ScopeIdentity | undefined {
        const key = scopeKey(parent, scope);
        let tried = 0;
        for (const candidate of memo.children.get(parent) ?? []) {
          if (contents.has(candidate) || candidate.description !== scope.description) continue;
          if (++tried > CANDIDATES_TRIED) return undefined;
          const read = call.readThrough(candidate);
          if (!read) continue;
          known(candidate, read);
          if (scopeKey(parent, read) === key) return candidate;
        }
        return undefined;
      }

      function newIdentity(parent: ScopeIdentity | undefined, scope: KeptScope): ScopeIdentity {
        const identity: ScopeIdentity = { kind: scope.kind, description: scope.description, parent, depth: parent ? parent.depth + 1 : 0, members: [] };
        const siblings = memo.children.get(parent);
        if (siblings) siblings.push(identity);
        else memo.children.set(parent, [identity]);
        return identity;
      }
    });
  };
}

/** Remembers `fn` as a way to read `identity`, forgetting functions gone. */
function addMember(identity: ScopeIdentity, fn: Function): void {
  const members = identity.members;
  for (let i = members.length - 1; i >= 0; i--) {
    const member = members[i]!.deref();
    if (member === fn) return;
    if (member === undefined) members.splice(i, 1);
  }
  if (members.length < MEMBERS_KEPT) members.push(new WeakRef(fn));
}

/**
 * A scope told by where it is (its parent), its description and what it
 * holds (objects by identity). Not told apart: two calls of one function
 * whose scopes hold the same primitives alone in the same place (read once:
 * an undercount of one such scope).
 */
function scopeKey(parent: ScopeIdentity | undefined, scope: KeptScope): string {
  let key = `${parent ? identityNumber(parent) : 0}\u0001${scope.description}`;
  for (const { name, value } of scope.variables) {
    key += `\0${name}=`;
    key += value !== null && (typeof value === 'object' || typeof value === 'function') ? `#${identityNumber(value)}` : `${typeof value}:${String(value)}`;
  }
  return key;
}

const numbers = new WeakMap<object, number>();
let nextNumber = 1;

function identityNumber(value: object): number {
  let n = numbers.get(value);
  if (n === undefined) numbers.set(value, (n = nextNumber++));
  return n;
}

interface InspectCall {
  /** The protocol's ids of `functions` (board functions handed through `__boardScan__`). */
  functionIds(functions: readonly Function[]): Array<string | undefined>;
  /** Hands back the objects the scopes name, in one call; then reads each scope as the host sees it. */
  resolver(raws: readonly RawScope[]): (raw: RawScope) => KeptScope;
  /** A known scope's variables now, through a function still keeping it. */
  readThrough(identity: ScopeIdentity): KeptScope | undefined;
}

/** Runs `work` with the context found and the protocol's objects released after. */
function inspect<T>(contextName: string, bridge: ScanBridge, work: (call: InspectCall) => T): T | undefined {
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
    const evaluate = (expression: string): RemoteObject =>
      post<{ result: RemoteObject }>('Runtime.evaluate', { expression, contextId: context.id, objectGroup: 'scan', silent: true }).result;
    const scan = evaluate('__boardScan__');
    if (!scan.objectId) return undefined;
    const functionIds = (functions: readonly Function[]): Array<string | undefined> => {
      bridge.offer(functions);
      const list = evaluate('__boardScan__()');
      const ids: Array<string | undefined> = [];
      if (list.objectId) for (const p of ownProperties(list.objectId).result) if (/^\d+$/.test(p.name)) ids[Number(p.name)] = p.value?.objectId;
      return ids;
    };
    const resolver = (raws: readonly RawScope[]): ((raw: RawScope) => KeptScope) => {
      const objectIds: string[] = [];
      for (const raw of raws) for (const v of raw.variables) if (v.remote.objectId) objectIds.push(v.remote.objectId);
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
      const at = new Map<string, unknown>();
      objectIds.forEach((id, i) => at.set(id, objects[i]));
      return (raw) => ({
        kind: raw.kind,
        description: raw.description,
        variables: raw.variables.map((v) => ({ name: v.name, value: v.remote.objectId ? at.get(v.remote.objectId) : primitive(v.remote) })),
      });
    };
    return work({
      functionIds,
      resolver,
      readThrough: (identity) => {
        for (const member of identity.members) {
          const fn = member.deref();
          if (!fn) continue;
          const id = functionIds([fn])[0];
          const entries = id ? keptEntries(id) : [];
          const entry = entries[entries.length - 1 - identity.depth];
          if (!entry) continue;
          const raw = readScope(entry);
          return resolver([raw])(raw);
        }
        return undefined;
      },
    });
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

/** A function's kept scopes as the protocol names them, innermost first. */
function keptEntries(functionId: string): RemoteObject[] {
  const scopes = ownProperties(functionId).internalProperties?.find((p) => p.name === '[[Scopes]]')?.value?.objectId;
  if (!scopes) return [];
  const out: RemoteObject[] = [];
  for (const entry of ownProperties(scopes).result) if (entry.value?.objectId && KEPT_SCOPES.has(scopeKind(entry.value))) out.push(entry.value);
  return out;
}

/** A kept scope's variables as the protocol names them. */
function readScope(scope: RemoteObject): RawScope {
  const kind = scopeKind(scope);
  const variables: RawScope['variables'] = [];
  for (const variable of ownProperties(scope.objectId!).result) if (variable.value) variables.push({ name: variable.name, remote: variable.value });
  return { kind, description: scope.description ?? kind, variables };
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
