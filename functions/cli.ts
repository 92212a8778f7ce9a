/** The `trustgate` command line: dispatches to one command module per verb. */
import { processIo, type CliCommand, type CliIo } from '../shared/cli/cli-io.ts';

const commands: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  token: { summary: 'token --role <procurement|security|admin> [--email <e>]   print a local sign-in token', load: async () => (await import('../shared/cli/token-command.ts')).tokenCommand },
  analyze: { summary: 'analyze <file.pdf>... [--json]                           analyze SOC 2 reports and other evidence', load: async () => (await import('../shared/cli/analyze-command.ts')).analyzeCommand },
  audit: { summary: 'audit verify [--data-dir <dir>]                         check the local audit trail’s hash chains', load: async () => (await import('../shared/cli/audit-command.ts')).auditCommand },
  migrate: { summary: 'migrate [register] [--data-dir <dir>]                 bring local data to the current table design (once, after upgrading)', load: async () => (await import('../shared/cli/migrate-command.ts')).migrateCommand },
  corpus: { summary: 'corpus add <case> --label <json> --pdf <pdf> [--dir <d>] add a corrected document to a labelled corpus', load: async () => (await import('../shared/cli/corpus-command.ts')).corpusCommand },
  questionnaires: { summary: 'questionnaires validate <file|dir>...                    check questionnaire templates', load: async () => (await import('../shared/cli/questionnaires-command.ts')).questionnairesCommand },
};

export function usage(): string {
  return ['Usage: trustgate <command> [options]', '', 'Commands:', ...Object.values(commands).map((c) => `  ${c.summary}`)].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`trustgate: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  return (await command.load())(rest, io);
}
