import * as acorn from 'acorn';
import { walk, type Node } from './ast-walk';
import { RULES } from './espruino-2v29';
import { at, type Finding } from './finding';

// Whatever TypeScript's ES5 emit left beyond ES5 (BigInt literals, or
// anything if lowering was skipped): Espruino's parser is not a full ES2015+
// parser, so the output must be plain ES5.

export function parseLatest(code: string, findings: Finding[]): acorn.Program | null {
  try {
    return acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowReturnOutsideFunction: false });
  } catch (error) {
    findings.push(syntaxErrorFinding(error));
    return null;
  }
}

export function es5ParseError(code: string): Finding | null {
  try {
    acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
    return null;
  } catch (error) {
    return syntaxErrorFinding(error);
  }
}

function syntaxErrorFinding(error: unknown): Finding {
  const located = error as { loc?: { line: number; column: number }; message?: string };
  if (!located.loc) throw error;
  return {
    position: { line: located.loc.line, column: located.loc.column },
    rule: RULES.es5Syntax,
    message: `the output is not ES5 here (${String(located.message).replace(/ \(\d+:\d+\)$/, '')}): Espruino 2v29's parser may reject it`,
  };
}

const NON_ES5_NODES: ReadonlyMap<string, string> = new Map(Object.entries({
  ArrowFunctionExpression: 'an arrow function',
  ClassDeclaration: 'a class',
  ClassExpression: 'a class',
  TemplateLiteral: 'a template literal',
  TaggedTemplateExpression: 'a tagged template',
  SpreadElement: 'spread',
  RestElement: 'a rest element',
  ObjectPattern: 'destructuring',
  ArrayPattern: 'destructuring',
  AssignmentPattern: 'a default value',
  ForOfStatement: 'for…of',
  AwaitExpression: 'await',
  YieldExpression: 'yield',
  ChainExpression: 'optional chaining',
  MetaProperty: 'new.target / import.meta',
  ImportExpression: 'import()',
  StaticBlock: 'a static block',
  PrivateIdentifier: 'a #private name',
  PropertyDefinition: 'a class field',
}));

export function nonEs5Syntax(program: acorn.Program): Finding[] {
  const findings: Finding[] = [];
  const report = (node: Node, what: string): void => {
    findings.push(at(node, RULES.es5Syntax, `${what} remains after lowering to ES5: Espruino 2v29's parser rejects or mis-runs it`));
  };
  walk(program, (node) => {
    const what = NON_ES5_NODES.get(node.type);
    if (what !== undefined) return report(node, what);
    switch (node.type) {
      case 'VariableDeclaration':
        if (node.kind !== 'var') report(node, `${node.kind}`);
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
        if (node.async) report(node, 'an async function');
        else if (node.generator) report(node, 'a generator');
        return;
      case 'Property':
        if (node.computed) report(node, 'a computed key');
        return;
      case 'Literal':
        if (node.bigint !== undefined) report(node, `the BigInt literal ${node.raw ?? ''}`);
        return;
      case 'BinaryExpression':
        if (node.operator === '**') report(node, '**');
        return;
      case 'LogicalExpression':
        if (node.operator === '??') report(node, '??');
        return;
      case 'AssignmentExpression':
        if (!['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '>>>=', '|=', '^=', '&='].includes(node.operator)) report(node, node.operator);
        return;
    }
  });
  return findings;
}
