// Telemetry starts first: its instrumentations patch @grpc/grpc-js, http, fastify and ioredis as
// they load, so nothing that imports them may load before this line. The service name follows the
// subcommand in process.argv[2] (node → aiaas-inference-node, registry → aiaas-registry, gateway →
// aiaas-gateway, worker → aiaas-optimizer), read before commander parses argv. Off, and a no-op,
// unless OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_TRACES_EXPORTER) is set.
import { shutdownTelemetry, startTelemetryForCommand } from '@aiaas/telemetry';

try {
  startTelemetryForCommand(process.argv);
} catch (err) {
  // A bad OTEL_* value: one line, as every other setting error, before anything starts.
  process.stderr.write(`aiaas: ${(err as Error).message}\n`);
  process.exit(1);
}

// Loaded only now, and lazily, so that every service module (and grpc-js with it) comes after. The
// spans still buffered are flushed when the command ends, and before a failed one exits.
void import('./program')
  .then(({ runCli }) => runCli(process.argv, undefined, shutdownTelemetry))
  .finally(() => shutdownTelemetry());
