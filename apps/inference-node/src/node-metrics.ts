import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/**
 * The node's Prometheus metrics, in a registry of its own (several nodes can share a process in
 * tests). Names follow Prometheus conventions: base units, `_total` counters, `_seconds`.
 */
export class NodeMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'aiaas_inference_requests_total',
    help: 'Inference requests answered, by model, version and outcome (success or failure).',
    labelNames: ['model', 'version', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'aiaas_inference_request_duration_seconds',
    help: 'Time from a request reaching the node to its answer, queue and compute included.',
    labelNames: ['model', 'version'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly queueDuration = new Histogram({
    name: 'aiaas_inference_queue_duration_seconds',
    help: 'Time a request waited in its model queue before its batch was dispatched.',
    labelNames: ['model', 'version'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly computeDuration = new Histogram({
    name: 'aiaas_inference_compute_duration_seconds',
    help: 'Time of one model execution: batch assembly, onnxruntime run and output split.',
    labelNames: ['model', 'version'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly batchSize = new Histogram({
    name: 'aiaas_inference_batch_size',
    help: 'Rows per model execution; above 1 means requests were merged by the dynamic batcher.',
    labelNames: ['model', 'version'] as const,
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'aiaas_inference_queue_depth',
    help: 'Requests waiting in a model version queue.',
    labelNames: ['model', 'version'] as const,
    registers: [this.registry],
  });

  readonly modelReady = new Gauge({
    name: 'aiaas_model_ready',
    help: '1 for each model version loaded and ready to serve.',
    labelNames: ['model', 'version'] as const,
    registers: [this.registry],
  });

  readonly modelLoadDuration = new Gauge({
    name: 'aiaas_model_load_duration_seconds',
    help: 'How long the last load of a model version took, warm-up included.',
    labelNames: ['model', 'version'] as const,
    registers: [this.registry],
  });

  readonly modelMemory = new Gauge({
    name: 'aiaas_model_memory_bytes',
    help: 'Estimated memory of each loaded model version: artifact bytes times session instances (each instance holds its own copy of the weights).',
    labelNames: ['model', 'version'] as const,
    registers: [this.registry],
  });

  readonly modelsLoaded = new Gauge({
    name: 'aiaas_models_loaded',
    help: 'Model versions loaded and ready to serve on this node.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
