import { RULES } from './espruino-2v29';

// Espruino-safe replacements for the helpers TypeScript's ES5 emit calls
// (its own ones read Array.prototype, rely on hoisting, or read a var from a
// branch that may not have run; see docs/espruino-subset.md). Rules for
// this code: ES5 only, `var f = function` before any use, no X.prototype.method
// lookups on built-ins, every var declared where it always runs.

export const SUPPLIED_HELPERS: Readonly<Record<string, string>> = {
  // Statics are copied: Espruino does not look statics up through the constructor's prototype.
  __extends: `var __extends = function (derived, base) {
  var keys = Object.keys(base);
  for (var i = 0; i < keys.length; i++) {
    if (keys[i] !== "prototype") derived[keys[i]] = base[keys[i]];
  }
  derived.prototype = Object.create(base.prototype);
  derived.prototype.constructor = derived;
};`,
  __assign: `var __assign = function (target) {
  for (var i = 1; i < arguments.length; i++) {
    var source = arguments[i];
    if (source === null || source === undefined) continue;
    var keys = Object.keys(source);
    for (var j = 0; j < keys.length; j++) target[keys[j]] = source[keys[j]];
  }
  return target;
};`,
  __rest: `var __rest = function (source, excluded) {
  var result = {};
  var keys = Object.keys(source);
  for (var i = 0; i < keys.length; i++) {
    if (excluded.indexOf(keys[i]) < 0) result[keys[i]] = source[keys[i]];
  }
  return result;
};`,
  // Always a new array: TypeScript passes the elements so far and the spread value.
  __spreadArray: `var __spreadArray = function (to, from) {
  var result = [];
  for (var i = 0; i < to.length; i++) result.push(to[i]);
  for (var j = 0; j < from.length; j++) result.push(from[j]);
  return result;
};`,
  __makeTemplateObject: `var __makeTemplateObject = function (cooked, raw) {
  cooked.raw = raw;
  return cooked;
};`,
};

/**
 * The rest of TypeScript 5.9's emit helpers, and what needs them. None is
 * supplied: the feature fails the build. When a source-level rule already
 * reports the feature, the helper is not reported again.
 */
export const UNSUPPORTED_HELPERS: Readonly<Record<string, { feature: string; coveredBy?: string }>> = {
  __awaiter: { feature: 'async functions', coveredBy: RULES.asyncFunction },
  __generator: { feature: 'async functions and generators (it defines functions after return, which Espruino never hoists)', coveredBy: RULES.generator },
  __await: { feature: 'async generators', coveredBy: RULES.asyncFunction },
  __asyncGenerator: { feature: 'async generators', coveredBy: RULES.asyncFunction },
  __asyncDelegator: { feature: 'async generators', coveredBy: RULES.asyncFunction },
  __asyncValues: { feature: 'for await', coveredBy: RULES.asyncFunction },
  __values: { feature: 'iteration protocols (Symbol.iterator, absent on Espruino)' },
  __read: { feature: 'iteration protocols (Symbol.iterator, absent on Espruino)' },
  __decorate: { feature: 'decorators', coveredBy: RULES.decorator },
  __param: { feature: 'parameter decorators', coveredBy: RULES.decorator },
  __metadata: { feature: 'decorator metadata', coveredBy: RULES.decorator },
  __esDecorate: { feature: 'decorators', coveredBy: RULES.decorator },
  __runInitializers: { feature: 'decorators', coveredBy: RULES.decorator },
  __propKey: { feature: 'decorators', coveredBy: RULES.decorator },
  __setFunctionName: { feature: 'decorators', coveredBy: RULES.decorator },
  __classPrivateFieldGet: { feature: '#private names (WeakMap, absent on Espruino)', coveredBy: RULES.privateName },
  __classPrivateFieldSet: { feature: '#private names (WeakMap, absent on Espruino)', coveredBy: RULES.privateName },
  __classPrivateFieldIn: { feature: '#private names (WeakMap, absent on Espruino)', coveredBy: RULES.privateName },
  __addDisposableResource: { feature: 'using declarations (Symbol.dispose, absent on Espruino)' },
  __disposeResources: { feature: 'using declarations (Symbol.dispose, absent on Espruino)' },
  __createBinding: { feature: 'module interop' },
  __setModuleDefault: { feature: 'module interop' },
  __importStar: { feature: 'module interop' },
  __importDefault: { feature: 'module interop' },
  __exportStar: { feature: 'module interop' },
  __rewriteRelativeImportExtension: { feature: 'dynamic import' },
};

export function isSuppliedHelper(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(SUPPLIED_HELPERS, name);
}

export function isUnsupportedHelper(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(UNSUPPORTED_HELPERS, name);
}

/** The helpers' code, in a fixed order, for the names the bundle uses. */
export function helperCode(names: Iterable<string>): string {
  const wanted = new Set(names);
  return Object.keys(SUPPLIED_HELPERS)
    .filter((name) => wanted.has(name))
    .map((name) => SUPPLIED_HELPERS[name] + '\n')
    .join('');
}
