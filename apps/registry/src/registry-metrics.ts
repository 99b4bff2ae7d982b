import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/** How an upload ended, as the `outcome` label of `aiaas_registry_uploads_total`. */
export type UploadOutcome = 'ok' | 'invalid' | 'too_large' | 'refused' | 'cancelled' | 'error';

/**
 * The registry's Prometheus metrics, in a registry of its own (not prom-client's global one), so
 * that several registries in one process — tests — never collide.
 */
export class RegistryMetrics {
  readonly registry = new Registry();
  readonly uploads = new Counter({
    name: 'aiaas_registry_uploads_total',
    help: 'UploadVersion calls by outcome (ok, invalid, too_large, refused, cancelled, error)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly uploadBytes = new Counter({
    name: 'aiaas_registry_upload_bytes_total',
    help: 'Artifact bytes received by UploadVersion, whether or not the upload succeeded',
    registers: [this.registry],
  });
  readonly downloads = new Counter({
    name: 'aiaas_registry_downloads_total',
    help: 'DownloadVersion calls that sent their whole range',
    registers: [this.registry],
  });

  /** @param withProcessMetrics also collect prom-client's default process metrics (CPU, memory, event loop) */
  constructor(withProcessMetrics = true) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
