/**
 * `trustgate corpus add <case-name> --label <label.json> --pdf <file> [--dir <dir>] [--force]` adds a labelled case to a
 * corpus folder: `<case-name>.pdf` beside `labels.json` (the layout of the analyzer's development and held-out sets).
 * The label is the corpus-case download of a corrected document (its PDF is checked against the sha256 it names) or
 * a bare label. Exit 0 added; 1 refused (invalid label, not the PDF the label names, case exists without --force);
 * 2 usage errors or unreadable files.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusLabelSchema, isCaseName, MAX_CASE_NAME, type CorpusLabel } from '../domain/corpus-label.ts';
import type { CliCommand, CliIo } from './cli-io.ts';

const USAGE = [
  'Usage:',
  '  trustgate corpus add <case-name> --label <label.json> --pdf <file.pdf> [--dir <corpus-dir>] [--force]',
  '',
  '  Writes <corpus-dir>/<case-name>.pdf and the label into <corpus-dir>/labels.json (corpus-dir defaults to ./corpus).',
  '  The label file is the download of GET /api/assessments/{id}/documents/{documentId}/corrections/corpus-case, or a bare label.',
].join('\n');

class Refusal extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

async function readInput(io: CliIo, file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(resolve(io.cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Refusal(`${file}: cannot read the ${what}: ${code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`, 2);
  }
}

/** The label and, for a corpus-case download, the sha256 of the document it describes. */
function parseLabelFile(file: string, text: string): { label: CorpusLabel; sha256: string | null } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Refusal(`${file}: not JSON`, 1);
  }
  const isDownload = typeof json === 'object' && json !== null && 'label' in json;
  const raw = isDownload ? (json as { label: unknown }).label : json;
  const parsed = corpusLabelSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${file}: ${[isDownload ? 'label' : '', ...i.path.map(String)].filter(Boolean).join('.') || '(label)'}: ${i.message}`);
    throw new Refusal(`${problems.join('\n')}\n${file}: not a valid label (${problems.length} problem${problems.length > 1 ? 's' : ''})`, 1);
  }
  const sha256 = isDownload ? (json as { document?: { sha256?: unknown } }).document?.sha256 : undefined;
  return { label: parsed.data, sha256: typeof sha256 === 'string' ? sha256 : null };
}

async function readLabels(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Refusal(`${path}: cannot read: ${(error as Error).message}`, 2);
  }
  try {
    const labels = JSON.parse(text) as unknown;
    if (typeof labels === 'object' && labels !== null && !Array.isArray(labels)) return labels as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Refusal(`${path}: not a labels.json (an object of case name → label); fix or move it first`, 1);
}

const exists = async (path: string) => (await stat(path).catch(() => null)) !== null;

/** Writes through a temporary file and a rename, so that an interrupted run leaves no half-written file. */
async function writeWhole(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

async function add(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { label: { type: 'string' }, pdf: { type: 'string' }, dir: { type: 'string' }, force: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new Refusal(`corpus add: ${(error as Error).message}\n${USAGE}`, 2);
  }
  const [caseName, ...extra] = parsed.positionals;
  const { label: labelFile, pdf: pdfFile } = parsed.values;
  if (!caseName || extra.length > 0 || !labelFile || !pdfFile) throw new Refusal(`corpus add: give one case name, --label and --pdf\n${USAGE}`, 2);
  if (!isCaseName(caseName)) throw new Refusal(`corpus add: "${caseName}" is not a case name: lower-case letters and digits in words joined by single dashes, at most ${MAX_CASE_NAME} characters (e.g. acme-soc2-type2-2025)`, 2);

  const { label, sha256 } = parseLabelFile(labelFile, (await readInput(io, labelFile, 'label')).toString('utf8'));
  const pdf = await readInput(io, pdfFile, 'PDF');
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Refusal(`${pdfFile}: not a PDF (it does not start with %PDF-)`, 1);
  const actual = createHash('sha256').update(pdf).digest('hex');
  if (sha256 !== null && sha256 !== actual) throw new Refusal(`${pdfFile}: not the document the label describes (its sha256 is ${actual}; the label names ${sha256})`, 1);

  const dir = resolve(io.cwd, parsed.values.dir ?? 'corpus');
  const labelsPath = join(dir, 'labels.json');
  const pdfPath = join(dir, `${caseName}.pdf`);
  const labels = await readLabels(labelsPath);
  const taken = Object.hasOwn(labels, caseName) || (await exists(pdfPath));
  if (taken && !parsed.values.force) throw new Refusal(`corpus add: ${caseName} is already in ${dir}; give --force to replace it`, 1);
  try {
    await mkdir(dir, { recursive: true });
    await writeWhole(pdfPath, pdf);
    const next = Object.fromEntries(Object.entries({ ...labels, [caseName]: label }).sort(([a], [b]) => a.localeCompare(b)));
    await writeWhole(labelsPath, `${JSON.stringify(next, null, 2)}\n`);
  } catch (error) {
    throw new Refusal(`corpus add: cannot write into ${dir}: ${(error as Error).message}`, 2);
  }
  io.stdout(`${taken ? 'Replaced' : 'Added'} ${caseName} in ${dir}: ${caseName}.pdf (${pdf.length} bytes, sha256 ${actual.slice(0, 12)}…) and its label in labels.json (${Object.keys(labels).length + (taken ? 0 : 1)} case(s))`);
  return 0;
}

export const corpusCommand: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (sub !== 'add') {
    io.stderr(`${sub === undefined ? 'corpus: missing subcommand' : `corpus: unknown subcommand '${sub}'`}\n${USAGE}`);
    return 2;
  }
  try {
    return await add(rest, io);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    io.stderr(error.message);
    return error.exitCode;
  }
};
