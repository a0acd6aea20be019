import type * as acorn from 'acorn';
import { forEachChild, type Node } from './ast-walk';

// Scope analysis for the lowered (ES5) output: function scopes and catch
// parameters. let/const/class, which only appear when lowering failed, are
// treated as `var` — good enough to keep checking.

export type DeclarationKind = 'var' | 'let' | 'const' | 'class' | 'function' | 'param' | 'catch' | 'function-name' | 'arguments';

/** A conditional region of a function: code in it may never run. */
export interface Branch {
  kind: 'if' | 'switch case' | 'loop' | 'catch';
  start: number;
  end: number;
}

export interface Declaration {
  name: string;
  kind: DeclarationKind;
  /** Null for the implicit `arguments`. */
  node: acorn.Identifier | null;
  start: number;
  /** Innermost conditional region of its function that contains it; null when it always runs. */
  branch: Branch | null;
  /** The function's own scope when this declares a function (`function f(){}` or `var f = function(){}`). */
  functionScope: Scope | null;
}

export interface Scope {
  node: Node;
  kind: 'program' | 'function' | 'catch';
  parent: Scope | null;
  /** Where `var`s of code in this scope live: the nearest function or program scope. */
  varScope: Scope;
  /** A function expression called where it is written: its body runs as part of the parent's straight-line code. */
  immediate: boolean;
  declarations: Map<string, Declaration[]>;
}

export interface Reference {
  node: acorn.Identifier;
  name: string;
  /** The scope the reference is written in. */
  scope: Scope;
  /** The scope that declares the name; null for a global. */
  resolved: Scope | null;
  /** Operand of `typeof`, which never throws on a missing name. */
  inTypeof: boolean;
  /** Callee of a call or `new`. */
  isCallee: boolean;
}

export interface ScopeAnalysis {
  program: Scope;
  references: Reference[];
}

export function analyzeScopes(program: acorn.Program): ScopeAnalysis {
  return new ScopeBuilder().build(program);
}

/** True when code written in `from` runs as part of `to`'s own straight-line code (crossing only immediately-called functions and catch blocks). */
export function runsInline(from: Scope, to: Scope): boolean {
  for (let scope: Scope | null = from; scope; scope = scope.parent) {
    if (scope === to) return true;
    if (scope.kind === 'function' && !scope.immediate) return false;
  }
  return false;
}

/** The function (or program) whose call runs code written in `scope`. */
export function executingFunction(scope: Scope): Scope {
  let current = scope;
  while (current.parent && (current.kind === 'catch' || current.immediate)) current = current.parent;
  return current;
}

export function isAncestorScope(ancestor: Scope, scope: Scope): boolean {
  for (let current = scope.parent; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

interface Context {
  scope: Scope;
  branches: Branch[];
}

class ScopeBuilder {
  private readonly references: Reference[] = [];
  private readonly immediateFunctions = new Set<Node>();

  build(program: acorn.Program): ScopeAnalysis {
    const scope = this.newScope(program, 'program', null);
    const context: Context = { scope, branches: [] };
    for (const statement of program.body) this.visit(statement, program, 'body', context);
    for (const reference of this.references) reference.resolved = resolve(reference.scope, reference.name);
    return { program: scope, references: this.references };
  }

  private newScope(node: Node, kind: Scope['kind'], parent: Scope | null): Scope {
    const scope = { node, kind, parent, immediate: false, declarations: new Map() } as Omit<Scope, 'varScope'> as Scope;
    scope.varScope = kind === 'catch' && parent ? parent.varScope : scope;
    return scope;
  }

  private declare(context: Context, scope: Scope, node: acorn.Identifier | null, name: string, kind: DeclarationKind, functionScope: Scope | null = null): Declaration {
    const declaration: Declaration = {
      name,
      kind,
      node,
      start: node ? node.start : scope.node.start,
      branch: context.branches[context.branches.length - 1] ?? null,
      functionScope,
    };
    const list = scope.declarations.get(name);
    if (list) list.push(declaration);
    else scope.declarations.set(name, [declaration]);
    return declaration;
  }

  private visit(node: Node, parent: Node, key: string, context: Context): void {
    switch (node.type) {
      case 'FunctionDeclaration': {
        const declaration = node.id ? this.declare(context, context.scope.varScope, node.id, node.id.name, 'function') : null;
        const scope = this.visitFunction(node, context);
        if (declaration) declaration.functionScope = scope;
        return;
      }
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.visitFunction(node, context);
        return;
      case 'VariableDeclaration':
        for (const declarator of node.declarations) {
          const init = declarator.init;
          const functionScope = init && (init.type === 'FunctionExpression' || init.type === 'ArrowFunctionExpression') ? this.visitFunction(init, context) : null;
          this.declarePattern(declarator.id, node.kind === 'var' || node.kind === 'let' || node.kind === 'const' ? node.kind : 'let', context, functionScope);
          if (init && !functionScope) this.visit(init, declarator, 'init', context);
        }
        return;
      case 'ClassDeclaration':
        if (node.id) this.declare(context, context.scope.varScope, node.id, node.id.name, 'class');
        if (node.superClass) this.visit(node.superClass, node, 'superClass', context);
        this.visit(node.body, node, 'body', context);
        return;
      case 'CatchClause': {
        const scope = this.newScope(node, 'catch', context.scope);
        const inner: Context = { scope, branches: [...context.branches, branchOf('catch', node)] };
        if (node.param) this.declarePattern(node.param, 'catch', inner, null, scope);
        this.visit(node.body, node, 'body', inner);
        return;
      }
      case 'CallExpression':
      case 'NewExpression':
        this.markImmediate(node.callee);
        break;
      case 'Identifier':
        if (isReference(parent, key)) {
          this.references.push({
            node,
            name: node.name,
            scope: context.scope,
            resolved: null,
            inTypeof: parent.type === 'UnaryExpression' && parent.operator === 'typeof',
            isCallee: (parent.type === 'CallExpression' || parent.type === 'NewExpression') && key === 'callee',
          });
        }
        return;
    }
    forEachChild(node, (child, childParent, childKey) => {
      const branch = branchAt(node, childKey);
      const childContext = branch ? { scope: context.scope, branches: [...context.branches, branch] } : context;
      this.visit(child, childParent, childKey, childContext);
    });
  }

  private visitFunction(node: acorn.Function & Node, context: Context): Scope {
    const scope = this.newScope(node, 'function', context.scope);
    scope.immediate = this.immediateFunctions.has(node);
    const inner: Context = { scope, branches: [] };
    if (node.type === 'FunctionExpression' && node.id) this.declare(inner, scope, node.id, node.id.name, 'function-name');
    if (node.type !== 'ArrowFunctionExpression') this.declare(inner, scope, null, 'arguments', 'arguments');
    for (const param of node.params) this.declarePattern(param, 'param', inner, null);
    this.visit(node.body, node, 'body', inner);
    return scope;
  }

  private markImmediate(callee: Node): void {
    if (callee.type === 'FunctionExpression' || callee.type === 'ArrowFunctionExpression') {
      this.immediateFunctions.add(callee);
    } else if (callee.type === 'MemberExpression' && (callee.object.type === 'FunctionExpression' || callee.object.type === 'ArrowFunctionExpression')) {
      const name = !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : '';
      if (name === 'call' || name === 'apply') this.immediateFunctions.add(callee.object);
    }
  }

  private declarePattern(pattern: Node, kind: DeclarationKind, context: Context, functionScope: Scope | null, scope?: Scope): void {
    const target = scope ?? (kind === 'param' ? context.scope : context.scope.varScope);
    switch (pattern.type) {
      case 'Identifier':
        this.declare(context, target, pattern, pattern.name, kind, functionScope);
        return;
      case 'AssignmentPattern':
        this.declarePattern(pattern.left, kind, context, null, scope);
        this.visit(pattern.right, pattern, 'right', context);
        return;
      case 'RestElement':
        this.declarePattern(pattern.argument, kind, context, null, scope);
        return;
      case 'ArrayPattern':
        for (const element of pattern.elements) if (element) this.declarePattern(element, kind, context, null, scope);
        return;
      case 'ObjectPattern':
        for (const property of pattern.properties) {
          if (property.type === 'RestElement') {
            this.declarePattern(property.argument, kind, context, null, scope);
          } else {
            if (property.computed) this.visit(property.key, property, 'key', context);
            this.declarePattern(property.value, kind, context, null, scope);
          }
        }
        return;
      default:
        // Member expressions as assignment targets (for-in heads): ordinary references.
        this.visit(pattern, pattern, 'pattern', context);
    }
  }
}

function resolve(from: Scope, name: string): Scope | null {
  for (let scope: Scope | null = from; scope; scope = scope.parent) if (scope.declarations.has(name)) return scope;
  return null;
}

function isReference(parent: Node, key: string): boolean {
  switch (parent.type) {
    case 'MemberExpression':
      return key !== 'property' || parent.computed;
    case 'Property':
    case 'MethodDefinition':
    case 'PropertyDefinition':
      return key !== 'key' || parent.computed;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return false;
    case 'MetaProperty':
      return false;
    default:
      return true;
  }
}

function branchOf(kind: Branch['kind'], node: Node): Branch {
  return { kind, start: node.start, end: node.end };
}

/** The conditional region entered when walking into `key` of `node`, if any. */
function branchAt(node: Node, key: string): Branch | null {
  switch (node.type) {
    case 'IfStatement':
      return key === 'consequent' || key === 'alternate' ? branchOf('if', node[key] ?? node) : null;
    case 'SwitchCase':
      return key === 'consequent' ? branchOf('switch case', node) : null;
    case 'ForStatement':
      return key === 'body' || key === 'test' || key === 'update' ? branchOf('loop', node.body) : null;
    case 'ForInStatement':
    case 'ForOfStatement':
      // The head's variable is assigned only when there is a first key.
      return branchOf('loop', node);
    case 'WhileStatement':
      return key === 'body' ? branchOf('loop', node.body) : null;
    default:
      return null;
  }
}
