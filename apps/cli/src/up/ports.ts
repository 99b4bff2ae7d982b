import net from 'node:net';

/** Every port `aiaas up` listens on (Redis only when it starts a private one). */
export interface UpPorts {
  gatewayRest: number;
  gatewayGrpc: number;
  gatewayMetrics: number;
  registryGrpc: number;
  registryMetrics: number;
  nodeGrpc: number;
  nodeMetrics: number;
  workerMetrics: number;
  /** Undefined: a free port picked when Redis starts. */
  redis: number | undefined;
}

/** The services' own defaults (each service's config.ts), used when neither a flag nor --port-base says otherwise. */
export const DEFAULT_PORTS: Readonly<Omit<UpPorts, 'redis'>> = {
  gatewayRest: 8080,
  gatewayGrpc: 8081,
  gatewayMetrics: 9100,
  registryGrpc: 50051,
  registryMetrics: 9101,
  workerMetrics: 9102,
  nodeGrpc: 8001,
  nodeMetrics: 9103,
};

/** Offsets from --port-base N: the gateway's REST port is N itself, so one number tells a user where to point. */
export const PORT_BASE_OFFSETS: Readonly<Required<Record<keyof UpPorts, number>>> = {
  gatewayRest: 0,
  gatewayGrpc: 1,
  gatewayMetrics: 2,
  registryGrpc: 3,
  registryMetrics: 4,
  nodeGrpc: 5,
  nodeMetrics: 6,
  workerMetrics: 7,
  redis: 8,
};

/** Human names of the ports, for error messages ("port 8080 (gateway REST) is in use"). */
export const PORT_LABELS: Readonly<Record<keyof UpPorts, string>> = {
  gatewayRest: 'gateway REST, --rest-port',
  gatewayGrpc: 'gateway gRPC, --grpc-port',
  gatewayMetrics: 'gateway metrics, --gateway-metrics-port',
  registryGrpc: 'registry gRPC, --registry-port',
  registryMetrics: 'registry metrics, --registry-metrics-port',
  nodeGrpc: 'inference node gRPC, --node-port',
  nodeMetrics: 'inference node metrics, --node-metrics-port',
  workerMetrics: 'worker metrics, --worker-metrics-port',
  redis: 'private Redis, --redis-port',
};

/** Port flags as typed on the command line (strings, all optional). */
export type PortFlags = Partial<Record<keyof UpPorts | 'portBase', string | undefined>>;

/**
 * Parses one port flag: a whole number 1..65535.
 * @throws Error naming the flag, the value and what was expected
 */
export function parsePort(value: string, what: string): number {
  const port = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${what}: expected a port number 1..65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

/**
 * Resolves every port: an explicit flag wins, then --port-base N (N + offset), then the service's
 * default. Two services on one port is an error, found here rather than as a crash loop later.
 */
export function planPorts(flags: PortFlags): UpPorts {
  let base: number | undefined;
  if (flags.portBase !== undefined) {
    base = parsePort(flags.portBase, '--port-base');
    const highest = base + Math.max(...Object.values(PORT_BASE_OFFSETS));
    if (highest > 65535) {
      throw new Error(
        `--port-base: expected at most ${65535 - (highest - base)} (it uses N..N+${highest - base}), got ${base}`,
      );
    }
  }
  const pick = (key: keyof UpPorts): number | undefined => {
    const explicit = flags[key];
    if (explicit !== undefined) return parsePort(explicit, PORT_LABELS[key].split(', ')[1] ?? key);
    if (base !== undefined) return base + PORT_BASE_OFFSETS[key];
    return key === 'redis' ? undefined : DEFAULT_PORTS[key];
  };
  const ports: UpPorts = {
    gatewayRest: pick('gatewayRest')!,
    gatewayGrpc: pick('gatewayGrpc')!,
    gatewayMetrics: pick('gatewayMetrics')!,
    registryGrpc: pick('registryGrpc')!,
    registryMetrics: pick('registryMetrics')!,
    nodeGrpc: pick('nodeGrpc')!,
    nodeMetrics: pick('nodeMetrics')!,
    workerMetrics: pick('workerMetrics')!,
    redis: pick('redis'),
  };
  const seen = new Map<number, keyof UpPorts>();
  for (const [key, port] of Object.entries(ports) as [keyof UpPorts, number | undefined][]) {
    if (port === undefined) continue;
    const other = seen.get(port);
    if (other !== undefined) {
      throw new Error(`port ${port} is given to both ${PORT_LABELS[other]} and ${PORT_LABELS[key]}; give each its own`);
    }
    seen.set(port, key);
  }
  return ports;
}

/** Whether something can listen on `port` at `host` right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port free at this instant (the OS's pick); another process may still take it before it is used. */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Checks that every planned port is free, so a busy port is one clear error before anything
 * starts, not a service crash-looping on EADDRINUSE.
 * @throws Error listing each busy port with the flag that moves it
 */
export async function assertPortsFree(ports: Partial<UpPorts>, host = '127.0.0.1'): Promise<void> {
  const busy: string[] = [];
  for (const [key, port] of Object.entries(ports) as [keyof UpPorts, number | undefined][]) {
    if (port !== undefined && !(await isPortFree(port, host))) busy.push(`${port} (${PORT_LABELS[key]})`);
  }
  if (busy.length > 0) {
    throw new Error(
      `port${busy.length > 1 ? 's' : ''} already in use: ${busy.join('; ')}. Stop what holds ${busy.length > 1 ? 'them' : 'it'}, or move aiaas with the flag named or --port-base N`,
    );
  }
}
