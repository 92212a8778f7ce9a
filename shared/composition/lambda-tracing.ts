/**
 * Powertools' handler wrapper (`captureLambdaHandler`) for function-style handlers, without middy: the handler runs
 * in its own `## index.handler` subsegment, where annotations land (Lambda's facade segment accepts none), with the
 * ColdStart and Service annotations and any error as metadata.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';

export function traceHandler<A extends unknown[], R>(tracer: Tracer, handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  // The decorator rewrites a method descriptor; a descriptor holding the function gives the same wrapper.
  const descriptor: TypedPropertyDescriptor<(...args: A) => Promise<R>> = { value: handler };
  const decorate = tracer.captureLambdaHandler({ captureResponse: false }) as unknown as (target: unknown, key: string, d: typeof descriptor) => typeof descriptor;
  return decorate(undefined, 'handler', descriptor).value!;
}
