import type * as acorn from 'acorn';
import { staticPropertyName, walk, type Node } from './ast-walk';
import {
  ABSENT_GLOBALS,
  ABSENT_STATICS,
  ARRAY_HOLE_MESSAGE,
  ARRAY_PROTOTYPE_MESSAGE,
  JSON_EXTRA_ARGUMENT_MESSAGE,
  LABEL_MESSAGE,
  PROMISE_FINALLY_MESSAGE,
  RULES,
} from './espruino-2v29';
import { checkHoisting } from './check-hoisting';
import { es5ParseError, nonEs5Syntax, parseLatest } from './check-es5-syntax';
import { unsupportedRegexFeatures } from './regex-features';
import { analyzeScopes, type Reference } from './scope';
import { at, type Finding } from './finding';

/** Step 6: every rule that can be read off the final output's syntax tree. */
export function checkOutput(code: string): Finding[] {
  const findings: Finding[] = [];
  const program = parseLatest(code, findings);
  if (!program) return findings;
  const syntax = nonEs5Syntax(program);
  findings.push(...syntax);
  if (syntax.length === 0) {
    const es5Error = es5ParseError(code);
    if (es5Error) findings.push(es5Error);
  }
  const analysis = analyzeScopes(program);
  const globalReferences = new Map<Node, Reference>();
  for (const reference of analysis.references) if (reference.resolved === null) globalReferences.set(reference.node, reference);

  for (const reference of globalReferences.values()) {
    const note = own(ABSENT_GLOBALS, reference.name);
    if (note !== undefined && !reference.inTypeof) findings.push(at(reference.node, RULES.absentGlobal, `${reference.name} is ${note}`));
  }
  const isGlobal = (node: Node, name: string): boolean => node.type === 'Identifier' && node.name === name && globalReferences.has(node);
  let inTypeof: Node | null = null;

  walk(program, (node, parent) => {
    if (inTypeof && node.start >= inTypeof.end) inTypeof = null;
    if (node.type === 'UnaryExpression' && node.operator === 'typeof' && !inTypeof) inTypeof = node;
    switch (node.type) {
      case 'MemberExpression': {
        const name = staticPropertyName(node);
        if (name === null) return;
        const object = node.object;
        if (object.type === 'Identifier' && globalReferences.has(object) && !inTypeof) {
          const statics = own(ABSENT_STATICS, object.name);
          const hint = statics && own(statics, name);
          if (hint !== undefined) {
            findings.push(at(node, RULES.absentStatic, `${object.name}.${name} is absent on Espruino 2v29: ${hint}`));
          }
          const note = object.name === 'globalThis' ? own(ABSENT_GLOBALS, name) : undefined;
          if (note !== undefined) {
            findings.push(at(node, RULES.absentGlobal, `${name} is ${note}`));
          }
        }
        if (object.type === 'MemberExpression' && staticPropertyName(object) === 'prototype' && isGlobal(object.object, 'Array')) {
          findings.push(at(node, RULES.arrayPrototype, ARRAY_PROTOTYPE_MESSAGE.replace(/%s/g, name)));
        }
        if (name === 'finally' && parent?.type === 'CallExpression' && parent.callee === node) {
          findings.push(at(node.property, RULES.promiseFinally, PROMISE_FINALLY_MESSAGE));
        }
        return;
      }
      case 'CallExpression':
      case 'NewExpression': {
        const callee = node.callee;
        if (callee.type === 'MemberExpression' && isGlobal(callee.object, 'JSON') && node.arguments.length > 1) {
          const method = staticPropertyName(callee);
          const message = method === null ? undefined : own(JSON_EXTRA_ARGUMENT_MESSAGE, method);
          if (message !== undefined) findings.push(at(node, RULES.jsonExtraArgument, message));
        }
        if (isGlobal(callee, 'RegExp')) findings.push(...regexConstructorFindings(node));
        return;
      }
      case 'Literal':
        if (node.regex) {
          for (const message of unsupportedRegexFeatures(node.regex.pattern, node.regex.flags)) {
            findings.push(at(node, RULES.regex, `/${node.regex.pattern}/${node.regex.flags}: ${message}`));
          }
        }
        return;
      case 'LabeledStatement':
        findings.push(at(node, RULES.label, LABEL_MESSAGE));
        return;
      case 'ArrayExpression':
        if (node.elements.some((element) => element === null)) findings.push(at(node, RULES.arrayHole, ARRAY_HOLE_MESSAGE));
        return;
    }
  });

  findings.push(...checkHoisting(analysis));
  return withoutRegexFlagDuplicates(findings);
}

function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** acorn's ES5 parse fails on a regex flag the regex rule already reports. */
function withoutRegexFlagDuplicates(findings: Finding[]): Finding[] {
  if (!findings.some((finding) => finding.rule === RULES.regex)) return findings;
  return findings.filter((finding) => finding.rule !== RULES.es5Syntax || !/regular expression/i.test(finding.message));
}

function regexConstructorFindings(node: acorn.CallExpression | acorn.NewExpression): Finding[] {
  const [patternArgument, flagsArgument] = node.arguments;
  if (!patternArgument || patternArgument.type !== 'Literal' || typeof patternArgument.value !== 'string') return [];
  const flags = flagsArgument && flagsArgument.type === 'Literal' && typeof flagsArgument.value === 'string' ? flagsArgument.value : '';
  return unsupportedRegexFeatures(patternArgument.value, flags).map((message) =>
    at(node, RULES.regex, `RegExp(${JSON.stringify(patternArgument.value)}${flags ? ', ' + JSON.stringify(flags) : ''}): ${message}`),
  );
}
