/**
 * The suite's results as JUnit XML (the de-facto schema CI tools read:
 * testsuites > testsuite > testcase, with <skipped message> and
 * <failure message type>), each case's artifacts listed in its
 * <system-out> as `[[ATTACHMENT|path]]` lines (the Jenkins JUnit
 * attachments convention).
 */
import { escapeXml } from './xml';

export type ScenarioStatus = 'passed' | 'failed' | 'skipped';

export interface ScenarioResult {
  name: string;
  title: string;
  status: ScenarioStatus;
  /** Why it was skipped or how it failed. */
  reason?: string;
  /** The failure's stack, for the report. */
  detail?: string;
  durationMs: number;
  artifacts: string[];
}

export interface JunitSuite {
  /** e.g. `hil.in-process` */
  name: string;
  description: string;
  timestamp: Date;
  results: readonly ScenarioResult[];
}

export function renderJunit(suite: JunitSuite): string {
  const count = (status: ScenarioStatus) => suite.results.filter((r) => r.status === status).length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const totalMs = suite.results.reduce((sum, r) => sum + r.durationMs, 0);
  const totals = `tests="${suite.results.length}" failures="${count('failed')}" errors="0" skipped="${count('skipped')}" time="${seconds(totalMs)}"`;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="strap HIL" ${totals}>`,
    `  <testsuite name="${attr(suite.name)}" ${totals} timestamp="${suite.timestamp.toISOString().slice(0, 19)}">`,
    `    <properties><property name="rig" value="${attr(suite.description)}"/></properties>`,
  ];
  for (const r of suite.results) {
    out.push(`    <testcase classname="${attr(suite.name)}" name="${attr(r.name)}" time="${seconds(r.durationMs)}">`);
    if (r.status === 'skipped') out.push(`      <skipped message="${attr(r.reason ?? '')}"/>`);
    if (r.status === 'failed') out.push(`      <failure message="${attr(r.reason ?? 'failed')}" type="AssertionError">${text(r.detail ?? r.reason ?? '')}</failure>`);
    const systemOut = [r.title, ...r.artifacts.map((a) => `[[ATTACHMENT|${a}]]`)].join('\n');
    out.push(`      <system-out>${text(systemOut)}</system-out>`, '    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}

/** XML 1.0 allows no control characters but TAB, LF and CR, not even as references: they become `\xNN`. */
function text(value: string): string {
  return escapeXml(value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

function attr(value: string): string {
  return text(value).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
