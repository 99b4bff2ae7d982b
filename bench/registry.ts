/**
 * `npm run bench:registry`: UploadVersion and DownloadVersion throughput for a large (~500 MB)
 * valid ONNX artifact through `aiaas registry` in a child process on loopback, and the registry
 * process's memory while they run (VmRSS sampled from /proc every 50 ms, and VmHWM).
 *
 * The artifact is written to a temp file once, streaming: a ModelProto prefix, the raw bytes of
 * one big initializer, then the graph's inputs and outputs (protobuf fields may come in any
 * order), so the bench never holds it in memory either. Upload streams it from the file in 1 MiB
 * chunks; download hashes what it receives and checks the sha256.
 *
 * Settings: BENCH_REGISTRY_MB (artifact size, default 500). Goals (ARCHITECTURE/issue): ≥ 200 MB/s
 * each way, registry RSS growth < 64 MB. Writes bench/results/registry.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { callerMetadata } from '@aiaas/common';
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

// ---- a minimal protobuf writer: enough for one ModelProto ----

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}
const key = (field: number, wire: number): Buffer => varint(field * 8 + wire);
const intField = (field: number, value: number): Buffer => Buffer.concat([key(field, 0), varint(value)]);
const lenField = (field: number, body: Buffer): Buffer => Buffer.concat([key(field, 2), varint(body.length), body]);
const strField = (field: number, text: string): Buffer => lenField(field, Buffer.from(text, 'utf8'));

/** ValueInfoProto of a FLOAT tensor shaped [batch, n]. */
function floatInfo(name: string, n: number): Buffer {
  const shape = Buffer.concat([lenField(1, strField(2, 'batch')), lenField(1, intField(1, n))]);
  const tensorType = Buffer.concat([intField(1, 1), lenField(2, shape)]);
  return Buffer.concat([strField(1, name), lenField(2, lenField(1, tensorType))]);
}

/**
 * Writes `y = x + W` with W a FLOAT initializer of `elements` values stored as raw_data, streaming
 * the raw bytes; returns the file's size and sha256.
 */
async function writeBigModel(file: string, elements: number): Promise<{ size: number; sha256: string }> {
  const rawBytes = elements * 4;
  const node = Buffer.concat([
    strField(1, 'x'),
    strField(1, 'W'),
    strField(2, 'y'),
    strField(3, 'add'),
    strField(4, 'Add'),
  ]);
  const tensorHead = Buffer.concat([
    intField(1, elements),
    intField(2, 1),
    strField(8, 'W'),
    key(9, 2),
    varint(rawBytes),
  ]);
  const tensorLength = tensorHead.length + rawBytes;
  const graphHead = Buffer.concat([lenField(1, node), strField(2, 'big'), key(5, 2), varint(tensorLength), tensorHead]);
  const graphTail = Buffer.concat([lenField(11, floatInfo('x', elements)), lenField(12, floatInfo('y', elements))]);
  const graphLength = graphHead.length + rawBytes + graphTail.length;
  const modelHead = Buffer.concat([
    intField(1, 8),
    strField(2, 'aiaas-bench'),
    lenField(8, intField(2, 13)),
    key(7, 2),
    varint(graphLength),
    graphHead,
  ]);
  const hash = createHash('sha256');
  const out = fs.createWriteStream(file);
  const write = (bytes: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      hash.update(bytes);
      if (out.write(bytes)) resolve();
      else out.once('drain', resolve).once('error', reject);
    });
  await write(modelHead);
  const block = randomBytes(CHUNK);
  for (let left = rawBytes; left > 0; left -= CHUNK) {
    // Vary each block a little so the artifact is not one repeated MiB.
    block.writeUInt32LE(left >>> 0, 0);
    await write(left >= CHUNK ? block : block.subarray(0, left));
  }
  await write(graphTail);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { size: modelHead.length + rawBytes + graphTail.length, sha256: hash.digest('hex') };
}

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
    const built = await writeBigModel(artifact, elements);
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
