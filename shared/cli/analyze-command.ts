/** `trustgate analyze <file.pdf>... [--json]`: analyse SOC 2 reports (and what vendors send instead) from the shell. */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createIsolatedPdfTextExtractor } from '../adapters/pdf/isolated-pdf-text-extractor.ts';
import { withOcr } from '../adapters/pdf/ocr-text-extractor.ts';
import { analyzeDocument } from '../app/analyze-document.ts';
import { DocumentUnreadableError, documentLimits } from '../domain/soc2/errors.ts';
import type { ReportAnalysis } from '../domain/soc2/types.ts';
import type { CliCommand, CliIo } from './cli-io.ts';

const USAGE = `Usage: trustgate analyze <file.pdf>... [--json]

Reads each PDF and prints what a reviewer needs from a SOC 2 report, with the page of every fact.
  --json     one JSON object on stdout (an array when several files are given)
Exit status: 0 when every file was read, 2 when any file could not be read (or on a usage error).`;

interface ErrorBody {
  code: string;
  message: string;
}

type Outcome = { file: string; analysis: ReportAnalysis } | { file: string; error: ErrorBody };

function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof DocumentUnreadableError) return { code: error.code, message: error.message };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return { code: 'not-found', message: 'The file does not exist.' };
  if (code === 'EISDIR') return { code: 'not-a-pdf', message: 'The path is a directory, not a PDF.' };
  if (code === 'EACCES' || code === 'EPERM') return { code: 'unreadable', message: 'The file cannot be opened (permission denied).' };
  return { code: 'corrupt', message: 'The file could not be read.' };
}

async function analyzeFile(file: string, io: CliIo): Promise<Outcome> {
  const path = resolve(io.cwd, file);
  try {
    const info = await stat(path);
    if (info.isFile() && info.size > documentLimits.maxBytes) {
      throw new DocumentUnreadableError('too-large', `The file is ${(info.size / 1024 / 1024).toFixed(1)} MB; the limit is ${documentLimits.maxBytes / 1024 / 1024} MB.`);
    }
    const bytes = await readFile(path);
    const timeout = Number(io.env.TRUSTGATE_ANALYZE_TIMEOUT_MS);
    const analysis = await analyzeDocument({ extractor: withOcr(createIsolatedPdfTextExtractor()), ...(timeout > 0 ? { timeoutMs: timeout } : {}) }, bytes);
    return { file, analysis };
  } catch (error) {
    return { file, error: toErrorBody(error) };
  }
}

const cell = (value: string | number | null | undefined): string => (value === null || value === undefined || value === '' ? '—' : String(value));

function kindLabel(a: ReportAnalysis): string {
  const names: Record<ReportAnalysis['documentKind'], string> = {
    soc2: 'SOC 2', soc1: 'SOC 1', soc3: 'SOC 3', 'bridge-letter': 'Bridge letter', iso27001: 'ISO/IEC 27001 certificate', unknown: 'Unrecognised document',
  };
  const type = a.reportType === 'type2' ? ' Type II' : a.reportType === 'type1' ? ' Type I' : '';
  return `${names[a.documentKind]}${type}`;
}

/** The readable summary: one block per file, each fact with the page it came from. */
export function formatSummary(file: string, a: ReportAnalysis): string {
  const page = (field: string): string => (a.evidence[field] ? ` (p. ${a.evidence[field].page})` : '');
  const row = (label: string, value: string, field?: string): string => `  ${label.padEnd(22)}${value}${field ? page(field) : ''}`;
  const out = [`${file}: ${kindLabel(a)}, ${a.pages} page${a.pages === 1 ? '' : 's'}${a.textLayer ? '' : ', no text layer'}`];
  out.push(row('Service organization', cell(a.serviceOrganization), 'serviceOrganization'));
  out.push(row('Service auditor', cell(a.serviceAuditor), 'serviceAuditor'));
  out.push(row('Report date', cell(a.reportDate), 'reportDate'));
  const period = a.period ? (a.period.start ? `${a.period.start} to ${a.period.end}` : `as of ${a.period.end}`) : '—';
  out.push(row('Period', period, 'period'));
  out.push(row('Opinion', cell(a.opinion), 'opinion'));
  out.push(row('Categories', a.trustServicesCategories.length > 0 ? a.trustServicesCategories.join(', ') : '—', 'trustServicesCategories'));
  out.push(row('Subservice orgs', a.subserviceOrganizations.length > 0 ? String(a.subserviceOrganizations.length) : 'none found', 'subserviceOrganizations'));
  for (const s of a.subserviceOrganizations) out.push(`    - ${s.name} (${s.method})${s.services ? `: ${s.services}` : ''}`);
  out.push(row('User entity controls', a.complementaryUserEntityControls.length > 0 ? String(a.complementaryUserEntityControls.length) : 'none found', 'complementaryUserEntityControls'));
  for (const c of a.complementaryUserEntityControls) out.push(`    - ${c}`);
  out.push(row('Controls tested', cell(a.controlsTested), 'controlsTested'));
  if (a.exceptions === null) out.push(row('Exceptions', 'not applicable (no tests of controls)'));
  else {
    out.push(row('Exceptions', String(a.exceptions.length)));
    for (const e of a.exceptions) {
      out.push(`    - ${e.controlId ?? 'control'}${e.criteria.length > 0 ? ` [${e.criteria.join(', ')}]` : ''} (p. ${e.page}): ${e.description}`);
      out.push(`      Management response: ${e.managementResponse ?? 'none found'}`);
    }
  }
  if (a.warnings.length > 0) {
    out.push('  Warnings');
    for (const w of a.warnings) out.push(`    ! ${w}`);
  }
  return out.join('\n');
}

export const analyzeCommand: CliCommand = async (args, io) => {
  let json = false;
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') {
      io.stdout(USAGE);
      return 0;
    } else if (arg.startsWith('-') && arg !== '-') {
      io.stderr(`trustgate analyze: unknown option '${arg}'\n${USAGE}`);
      return 2;
    } else files.push(arg);
  }
  if (files.length === 0) {
    io.stderr(`trustgate analyze: no file given\n${USAGE}`);
    return 2;
  }
  const outcomes: Outcome[] = [];
  for (const file of files) outcomes.push(await analyzeFile(file, io));

  for (const o of outcomes) if ('error' in o) io.stderr(`trustgate analyze: ${o.file}: ${o.error.code}: ${o.error.message}`);
  if (json) {
    const single = outcomes.length === 1 ? outcomes[0]! : null;
    const body = single
      ? 'error' in single ? { error: single.error } : single.analysis
      : outcomes.map((o) => ('error' in o ? { file: o.file, error: o.error } : { file: o.file, ...o.analysis }));
    io.stdout(JSON.stringify(body, null, 2));
  } else {
    io.stdout(outcomes.map((o) => ('error' in o ? `${o.file}: could not be read (${o.error.code}): ${o.error.message}` : formatSummary(o.file, o.analysis))).join('\n\n'));
  }
  return outcomes.some((o) => 'error' in o) ? 2 : 0;
};
