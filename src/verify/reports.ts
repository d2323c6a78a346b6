import { type Check, DRIFT_MEANING } from './checks.js';
import { printable } from './redact.js';
import type { VerifyReport } from './verify.js';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** The same drift found in several cases: one line of the table, naming each case. */
interface DistinctDrift {
  check: Check;
  cases: string[];
  /** What the service sent, each distinct value once. */
  actuals: string[];
}

/** Values of one drift listed in a cell, at most: the rest are counted. */
const SHOWN_VALUES = 3;

function distinctDrifts(checks: readonly Check[]): DistinctDrift[] {
  const byShape = new Map<string, DistinctDrift>();
  for (const check of checks) {
    if (check.result !== 'drift') continue;
    const shape = JSON.stringify([check.check, check.kind, check.pointer, check.expected]);
    const seen = byShape.get(shape) ?? { check, cases: [], actuals: [] };
    byShape.set(shape, seen);
    if (!seen.cases.includes(check.case)) seen.cases.push(check.case);
    if (check.actual !== undefined && !seen.actuals.includes(check.actual)) seen.actuals.push(check.actual);
  }
  return [...byShape.values()];
}

function sentCell(actuals: string[]): string {
  const shown = actuals.slice(0, SHOWN_VALUES).join(' | ');
  return actuals.length > SHOWN_VALUES ? `${shown} | ${actuals.length - SHOWN_VALUES} more` : shown;
}

export interface TextOptions {
  /** Leave the passed checks out of the table (the summary still counts them). */
  onlyDrift?: boolean;
}

/**
 * The report as a table: each distinct drift once, with the cases it appeared in, then every passed
 * check. What the service sent is escaped (a control character is written as `\u001b`, a line break
 * as `\n`), so no key or value of its answers can forge or hide a line.
 */
export function textReport(report: VerifyReport, options: TextOptions = {}): string {
  const rows = [['result', 'case', 'check', 'pointer', 'mock expects', 'service sent', 'meaning']];
  const drifts = distinctDrifts(report.checks);
  for (const { check, cases, actuals } of drifts) {
    rows.push(['drift', cases.join(', '), check.check, check.pointer ?? '', check.expected ?? '', sentCell(actuals), DRIFT_MEANING[check.kind!]]);
  }
  if (!options.onlyDrift) {
    for (const check of report.checks) if (check.result === 'pass') rows.push(['pass', check.case, check.check, '', '', '', '']);
  }
  const drifted = report.checks.filter((check) => check.result === 'drift').length;
  const distinct = drifted === drifts.length ? '' : ` (${drifts.length} distinct)`;
  const summary = `${report.provider} at ${report.baseUrl}: ${report.checks.length - drifted} passed, ${drifted} drift${distinct}, ${report.requests} of ${report.budget} requests`;
  const body = rows.length > 1 ? `${table(rows.map((row) => row.map(printable)))}\n\n` : '';
  return `${body}${printable(summary)}\n`;
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

function testName(check: Check): string {
  return check.pointer ? `${check.check} ${check.pointer}` : check.check;
}

export function junitReport(report: VerifyReport): string {
  const failures = report.checks.filter((check) => check.result === 'drift');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="provider-mock verify" tests="${report.checks.length}" failures="${failures.length}">`,
    `  <testsuite name="${xml(report.provider)}" tests="${report.checks.length}" failures="${failures.length}" errors="0" skipped="0">`,
  ];
  for (const check of report.checks) {
    const open = `    <testcase classname="${xml(`${report.provider}.${check.case}`)}" name="${xml(testName(check))}"`;
    if (check.result === 'pass') {
      lines.push(`${open}/>`);
      continue;
    }
    const message = `${DRIFT_MEANING[check.kind!]}: the mock expects ${check.expected ?? ''}, the service sent ${check.actual ?? ''}`;
    lines.push(`${open}>`, `      <failure type="${xml(check.kind!)}" message="${xml(message)}"/>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
