import { INVALID_SPAN_CONTEXT, context as contextApi, trace } from '@opentelemetry/api';
import type { Context, Span, SpanOptions, Tracer } from '@opentelemetry/api';

/** Stands in for every span not worth starting: its methods do nothing. */
const UNRECORDED: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Starts `name` as a child of the span in `parent` (the active context by default) only when that
 * span is being recorded; otherwise returns a shared span that records nothing, without asking the
 * sampler or generating ids. A service's own spans only mean something inside a sampled request, and
 * most requests are not sampled (at 10% sampling, nine in ten pay nothing for them).
 */
export function startChildSpan(tracer: Tracer, name: string, options?: SpanOptions, parent?: Context): Span {
  const parentContext = parent ?? contextApi.active();
  return trace.getSpan(parentContext)?.isRecording() === true
    ? tracer.startSpan(name, options, parentContext)
    : UNRECORDED;
}
