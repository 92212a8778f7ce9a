/**
 * `trustgate questionnaires validate <file|dir>...` checks template files (exit 0 all valid, 1 with every problem
 * listed as `file: path: reason`, 2 for usage errors or unreadable files); a directory stands for its *.json files
 * other than schema.json and selection-policy.json. `trustgate questionnaires list` prints the shipped library.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseTemplateText } from '../domain/questionnaire/parse-template.ts';
import type { CliCommand, CliIo } from './cli-io.ts';

const USAGE = [
  'Usage:',
  '  trustgate questionnaires validate <file|dir>...   check questionnaire template files',
  '  trustgate questionnaires list                      list the shipped templates',
].join('\n');

/** Files in a template directory that are not templates. */
const NOT_TEMPLATES = new Set(['schema.json', 'selection-policy.json']);

/** Replaces each directory argument by the template files it holds (sorted); other arguments pass through. */
async function expandDirectories(args: string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    const info = await stat(resolve(cwd, arg)).catch(() => undefined);
    if (!info?.isDirectory()) {
      files.push(arg);
      continue;
    }
    const names = (await readdir(resolve(cwd, arg))).filter((name) => name.endsWith('.json') && !NOT_TEMPLATES.has(name)).sort();
    files.push(...names.map((name) => join(arg, name)));
  }
  return files;
}

async function validate(args: string[], io: CliIo): Promise<number> {
  if (args.length === 0) {
    io.stderr(`questionnaires validate: give at least one template file or directory\n${USAGE}`);
    return 2;
  }
  const files = await expandDirectories(args, io.cwd);
  if (files.length === 0) {
    io.stderr(`questionnaires validate: no template files in ${args.join(', ')}`);
    return 2;
  }
  let exitCode = 0;
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), 'utf8');
    } catch (error) {
      const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'file not found' : error instanceof Error ? error.message : String(error);
      io.stderr(`${file}: cannot read: ${reason}`);
      exitCode = 2;
      continue;
    }
    const result = parseTemplateText(text, file);
    if (result.ok) {
      const { template } = result;
      const questions = template.sections.reduce((n, s) => n + s.questions.length, 0);
      io.stdout(`${file}: ok: ${template.id} ${template.version}, ${template.sections.length} sections, ${questions} questions`);
    } else {
      io.stderr(result.problems.map((p) => `${p.source}: ${p.path}: ${p.message}`).join('\n'));
      io.stderr(`${file}: ${result.problems.length} problem${result.problems.length > 1 ? 's' : ''}`);
      exitCode = Math.max(exitCode, 1);
    }
  }
  return exitCode;
}

async function list(io: CliIo): Promise<number> {
  const { listTemplates } = await import('../../questionnaires/library.ts');
  for (const t of listTemplates()) {
    io.stdout(`${t.id.padEnd(24)} ${t.version.padEnd(8)} ${String(t.questionCount).padStart(3)} questions  ${t.title}`);
  }
  return 0;
}

export const questionnairesCommand: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'validate':
      return validate(rest, io);
    case 'list':
      if (rest.length > 0) {
        io.stderr(`questionnaires list: takes no arguments\n${USAGE}`);
        return 2;
      }
      return list(io);
    case '--help':
    case '-h':
    case 'help':
      io.stdout(USAGE);
      return 0;
    default:
      io.stderr(`${sub === undefined ? 'questionnaires: missing subcommand' : `questionnaires: unknown subcommand '${sub}'`}\n${USAGE}`);
      return 2;
  }
};
