/**
 * The shared harness of the scale benchmark (`npm run bench:scale`): timing a scenario, percentiles, answer sizes,
 * and the list of scenarios measured at every portfolio size. Another scenario (sweep per due vendor, incremental
 * audit verification per new event) joins by adding itself to `SCALE_SCENARIOS` with `addScaleScenario`.
 */
import type { AppDeps } from '../shared/app/deps.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What a scenario gets at each size: the running stack, a staff token, the seeded portfolio. */
export interface ScaleContext {
  size: number;
  deps: AppDeps;
  /** The Hono app of the stack (in-process requests: route, use case, adapter, dynalite over loopback). */
  request(path: string): Promise<Response>;
  staffToken: string;
  raw: DynamoDBDocumentClient;
  tableName: string;
  /** Vendor ids in name order (the seeded names sort as their index). */
  vendorId(index: number): string;
  vendorName(index: number): string;
}

/** One measured call: resolves to the answer's size in bytes (0 when it has no body). */
export type ScaleCall = (ctx: ScaleContext, iteration: number) => Promise<number>;

export interface ScaleScenario {
  name: string;
  /** Calls per size (after 3 warm-up calls). */
  iterations: number;
  /** Measured as the floor (raw dynalite), not as a request: the ratio of the rest is read against it. */
  floor?: boolean;
  /** Untimed set-up before each call (making vendors due, appending events); gets the same call number. */
  prepare?: (ctx: ScaleContext, call: number) => Promise<void>;
  /** The units of work one call does (due vendors swept, events verified): times are reported per unit. */
  unitsPerCall?: number;
  call: ScaleCall;
}

export const SCALE_SCENARIOS: ScaleScenario[] = [];

export function addScaleScenario(scenario: ScaleScenario): void {
  SCALE_SCENARIOS.push(scenario);
}

export interface Measured {
  scenario: string;
  size: number;
  p50: number;
  p99: number;
  maxBytes: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * Runs a scenario `iterations` times after 3 warm-up calls, one at a time; times in ms (per unit of work when the
 * scenario says how many a call does). Calls are numbered from 0, warm-ups included, so each call can use fresh data.
 */
export async function measure(scenario: ScaleScenario, ctx: ScaleContext): Promise<Measured> {
  const units = scenario.unitsPerCall ?? 1;
  const times: number[] = [];
  let maxBytes = 0;
  for (let n = 0; n < 3 + scenario.iterations; n++) {
    await scenario.prepare?.(ctx, n);
    const start = performance.now();
    const bytes = await scenario.call(ctx, n);
    if (n < 3) continue;
    times.push((performance.now() - start) / units);
    maxBytes = Math.max(maxBytes, bytes);
  }
  times.sort((a, b) => a - b);
  return { scenario: scenario.name, size: ctx.size, p50: percentile(times, 50), p99: percentile(times, 99), maxBytes };
}

/**
 * Runs read scenarios (no `prepare`) in turns: round n calls each scenario once, after 3 warm-up rounds. Whatever the
 * process is doing meanwhile (a garbage collection of a large heap, a timer) then falls on every scenario alike, not
 * on the one that happened to be measured at the time.
 */
export async function measureInTurns(scenarios: ScaleScenario[], ctx: ScaleContext): Promise<Measured[]> {
  const rounds = Math.max(...scenarios.map((s) => s.iterations));
  const times = scenarios.map(() => [] as number[]);
  const maxBytes = scenarios.map(() => 0);
  for (let n = 0; n < 3 + rounds; n++) {
    for (const [k, scenario] of scenarios.entries()) {
      if (scenario.prepare) throw new Error(`${scenario.name} has a set-up per call: measure it on its own`);
      if (n >= 3 + scenario.iterations) continue;
      const start = performance.now();
      const bytes = await scenario.call(ctx, n);
      if (n < 3) continue;
      times[k]!.push(performance.now() - start);
      maxBytes[k] = Math.max(maxBytes[k]!, bytes);
    }
  }
  return scenarios.map((scenario, k) => {
    const sorted = times[k]!.sort((a, b) => a - b);
    return { scenario: scenario.name, size: ctx.size, p50: percentile(sorted, 50), p99: percentile(sorted, 99), maxBytes: maxBytes[k]! };
  });
}

/** The body of an answer that must be 200; its size in bytes. */
export async function okBytes(res: Response, what: string): Promise<number> {
  const body = await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${what}: ${res.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
  return body.byteLength;
}
