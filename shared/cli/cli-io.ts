/** What a CLI command may touch of the outside world; tests pass their own to capture output. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** A CLI command: parses its own arguments, returns the process exit code. */
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

export const processIo = (): CliIo => ({
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  cwd: process.cwd(),
  env: process.env,
});
