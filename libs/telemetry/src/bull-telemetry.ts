import { propagation } from '@opentelemetry/api';
import { BullMQOtel } from 'bullmq-otel';

/**
 * BullMQ's OpenTelemetry support when tracing is on in this process, else undefined (BullMQ then
 * makes no spans and stores or reads no context at all). "On" = a propagator is registered (the
 * SDK, or the tests' in-memory tracing): without one the context could not travel with the job
 * anyway. Decided when the Queue or Worker is made, so call it after tracing has started.
 */
export function bullTelemetry(): BullMQOtel | undefined {
  return propagation.fields().length > 0 ? new BullMQOtel('aiaas') : undefined;
}
