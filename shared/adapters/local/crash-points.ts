/**
 * Named crash points for the crash suite (test/crash): when the local server is started with
 * TRUSTGATE_CRASH_AT=<name>[@<n>], the n-th time (default: the first) execution reaches `crashPoint(name)` the process
 * kills itself with SIGKILL: no shutdown handler, no flush, exactly as a power cut or the OOM killer would. Unarmed
 * (always, outside the crash suite and in AWS) a crash point is one comparison.
 *
 * Place a crash point at every boundary where a crash can leave durable state half-done: between the items of a
 * multi-item write, between a workflow step's effect and the runner's record of it. Names are `<component>:<boundary>`.
 */
let armed: { name: string; remaining: number } | null = null;
const seen: string[] = [];

/** Arms one crash point (from LocalConfig.crashAt); `null` disarms. */
export function armCrashPoint(spec: string | null): void {
  if (!spec) {
    armed = null;
    return;
  }
  const [name, count] = spec.split('@');
  const remaining = count === undefined ? 1 : Number(count);
  if (!name || !Number.isInteger(remaining) || remaining < 1) throw new Error(`crash point "${spec}" is not <name>[@<n>] with n ≥ 1`);
  armed = { name, remaining };
}

/** Kills the process here when this point is armed and reached for the armed time. */
export function crashPoint(name: string): void {
  if (armed === null) return;
  if (seen.length < 1000) seen.push(name);
  if (armed.name !== name) return;
  armed.remaining -= 1;
  if (armed.remaining === 0) process.kill(process.pid, 'SIGKILL');
}

/** The crash points reached so far while armed (for the crash suite to list the boundaries a scenario crosses). */
export function crashPointsSeen(): readonly string[] {
  return seen;
}
