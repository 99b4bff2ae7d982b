/**
 * `npm run bench:registry`: UploadVersion and DownloadVersion throughput for a large (~500 MB)
 * valid ONNX artifact through `aiaas registry` in a child process on loopback, and the registry
 * process's memory while they run (VmRSS sampled from /proc every 50 ms, and VmHWM).
 *
 * The artifact is written to a temp file once, streaming (`writeLargeModelFile` from @aiaas/onnx:
 * a ModelProto prefix, the raw bytes of one big initializer, then the graph's inputs and outputs),
 * so the bench never holds it in memory either. Upload streams it from the file in 1 MiB
 * chunks; download hashes what it receives and checks the sha256.
 *
 * Settings: BENCH_REGISTRY_MB (artifact size, default 500). Goals (ARCHITECTURE/issue): ≥ 200 MB/s
 * each way, registry RSS growth < 64 MB. Writes bench/results/registry.md.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { callerMetadata } from '@aiaas/common';
import { writeLargeModelFile } from '@aiaas/onnx';
import type { DownloadVersionResponse__Output } from '@aiaas/proto';
import { createRegistryClient, makeTempDir, registryCall, removeDir, uploadVersion } from '@aiaas/testing';
import { formatNumber, markdownTable } from './latency-summary';
import { startServiceProcess } from './node-process';

const MB = 1024 * 1024;
const CHUNK = MB;
const SIZE_MB = Number(process.env['BENCH_REGISTRY_MB'] ?? '500');
if (!Number.isFinite(SIZE_MB) || SIZE_MB <= 0)
  throw new Error(`BENCH_REGISTRY_MB: expected a positive number, got "${process.env['BENCH_REGISTRY_MB']}"`);
const RESULTS_FILE = path.resolve(__dirname, '..', 'bench', 'results', 'registry.md');
const GOAL_MBPS = 200;
const GOAL_RSS_GROWTH_MB = 64;

// ---- memory of the registry process ----

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) : NaN;
}

/** Samples VmRSS every 50 ms until stopped; returns the peak in MB. */
function sampleRss(pid: number): { stop(): number } {
  let peakKb = readStatusKb(pid, 'VmRSS');
  const timer = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, readStatusKb(pid, 'VmRSS'));
    } catch {
      // The process went away; the bench reports what it saw.
    }
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return peakKb / 1024;
    },
  };
}

interface Row {
  phase: string;
  seconds: number;
  mbps: number;
  rssBeforeMb: number;
  rssPeakMb: number;
}

async function main(): Promise<void> {
  const distDir = __dirname;
  const work = makeTempDir('bench-registry');
  const loadStart = os.loadavg();
  const artifact = path.join(work, 'big.onnx');
  const rows: Row[] = [];
  let hwmMb = NaN;
  let registry: Awaited<ReturnType<typeof startServiceProcess>> | undefined;
  try {
    const elements = Math.floor((SIZE_MB * MB) / 4);
    console.log(`writing a ${SIZE_MB} MB ONNX artifact to ${artifact} ...`);
    const built = await writeLargeModelFile(artifact, { parameters: elements });
    registry = await startServiceProcess(
      distDir,
      [
        'registry',
        '--data-dir',
        path.join(work, 'data'),
        '--grpc-port',
        '0',
        '--metrics-port',
        '0',
        '--host',
        '127.0.0.1',
      ],
      /registry on 127\.0\.0\.1:(\d+) \(gRPC\)/,
      { name: 'registry' },
    );
    const pid = registry.pid;
    const client = createRegistryClient(Number(registry.ready[1]));
    const md = callerMetadata({ tenant: 'bench', principal: 'bench' }, undefined);
    await registryCall(client, 'CreateModel', { name: 'big' }, md);

    // Upload, streamed from the file in 1 MiB chunks.
    const uploadRssBefore = readStatusKb(pid, 'VmRSS') / 1024;
    let sampler = sampleRss(pid);
    let started = performance.now();
    const { version } = await uploadVersion(
      client,
      md,
      { model: 'big', expected_size_bytes: built.size },
      fs.createReadStream(artifact, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>,
    );
    let seconds = (performance.now() - started) / 1000;
    rows.push({
      phase: 'upload',
      seconds,
      mbps: built.size / MB / seconds,
      rssBeforeMb: uploadRssBefore,
      rssPeakMb: sampler.stop(),
    });
    if (version?.sha256 !== built.sha256) throw new Error(`upload: sha256 ${version?.sha256} != ${built.sha256}`);

    // Download, hashed as it arrives.
    const downloadRssBefore = readStatusKb(pid, 'VmRSS') / 1024;
    sampler = sampleRss(pid);
    started = performance.now();
    const hash = createHash('sha256');
    let received = 0;
    const call = client.DownloadVersion({ model: 'big', version: 1 }, md);
    for await (const message of call as AsyncIterable<DownloadVersionResponse__Output>) {
      hash.update(message.chunk);
      received += message.chunk.byteLength;
    }
    seconds = (performance.now() - started) / 1000;
    rows.push({
      phase: 'download',
      seconds,
      mbps: received / MB / seconds,
      rssBeforeMb: downloadRssBefore,
      rssPeakMb: sampler.stop(),
    });
    if (hash.digest('hex') !== built.sha256 || received !== built.size)
      throw new Error('download: bytes differ from the upload');
    hwmMb = readStatusKb(pid, 'VmHWM') / 1024;
    client.close();
    await registry.stop();

    const table = markdownTable(
      [
        'phase',
        'size (MB)',
        'seconds',
        'MB/s',
        `goal ≥ ${GOAL_MBPS}`,
        'RSS before (MB)',
        'RSS peak (MB)',
        'growth (MB)',
        `goal < ${GOAL_RSS_GROWTH_MB}`,
      ],
      rows.map((row) => {
        const growth = row.rssPeakMb - row.rssBeforeMb;
        return [
          row.phase,
          formatNumber(built.size / MB),
          formatNumber(row.seconds),
          formatNumber(row.mbps),
          row.mbps >= GOAL_MBPS ? 'met' : 'missed',
          formatNumber(row.rssBeforeMb),
          formatNumber(row.rssPeakMb),
          formatNumber(growth),
          growth < GOAL_RSS_GROWTH_MB ? 'met' : 'missed',
        ];
      }),
    );
    const report = [
      '# Registry benchmark',
      '',
      `- Date: ${new Date().toISOString()}`,
      `- Node.js: ${process.version}; CPU: ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length} (available parallelism ${os.availableParallelism()})`,
      `- Load average (1/5/15 min) at start ${loadStart.map((v) => v.toFixed(2)).join(' / ')}, at end ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' / ')}; other processes on the machine compete for the same cores`,
      `- \`aiaas registry\` in a child process (SQLite, data dir on the local disk), client in this process, loopback, 1 MiB chunks both ways.`,
      `- Artifact: a valid ONNX model (y = x + W) whose one FLOAT initializer holds ${formatNumber(elements)} values as raw_data; written to disk once, streamed from the file (BENCH_REGISTRY_MB=${SIZE_MB}).`,
      `- Upload time includes hashing, the fsync, ONNX inspection and the database commit; RSS sampled from /proc/<pid>/status every 50 ms; registry VmHWM (peak since start) at the end: ${formatNumber(hwmMb)} MB.`,
      '',
      table,
      '',
    ].join('\n');
    console.log(`\n${report}`);
    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    fs.writeFileSync(RESULTS_FILE, report);
    console.log(`written to ${RESULTS_FILE}`);
  } finally {
    await registry?.stop();
    removeDir(work);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
