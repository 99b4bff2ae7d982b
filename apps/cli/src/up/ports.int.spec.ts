import net from 'node:net';
import { DEFAULT_PORTS, assertPortsFree, findFreePort, isPortFree, parsePort, planPorts } from './ports';

describe('planPorts', () => {
  it('uses each service’s default port when nothing is given, and no fixed Redis port', () => {
    expect(planPorts({})).toEqual({ ...DEFAULT_PORTS, redis: undefined });
    expect(planPorts({})).toMatchObject({ gatewayRest: 8080, gatewayGrpc: 8081, registryGrpc: 50051, nodeGrpc: 8001 });
  });

  it('puts every port at N+k with --port-base, and an explicit flag still wins', () => {
    expect(planPorts({ portBase: '20000' })).toEqual({
      gatewayRest: 20000,
      gatewayGrpc: 20001,
      gatewayMetrics: 20002,
      registryGrpc: 20003,
      registryMetrics: 20004,
      nodeGrpc: 20005,
      nodeMetrics: 20006,
      workerMetrics: 20007,
      redis: 20008,
    });
    expect(planPorts({ portBase: '20000', nodeGrpc: '30001' })).toMatchObject({ nodeGrpc: 30001, gatewayRest: 20000 });
    expect(planPorts({ gatewayRest: '9999' })).toMatchObject({ gatewayRest: 9999, gatewayGrpc: 8081 });
  });

  it('rejects bad port values, naming the flag', () => {
    expect(() => planPorts({ gatewayRest: 'http' })).toThrow(
      '--rest-port: expected a port number 1..65535, got "http"',
    );
    expect(() => planPorts({ nodeGrpc: '70000' })).toThrow(
      /--node-port: expected a port number 1\.\.65535, got "70000"/,
    );
    expect(() => planPorts({ portBase: '0' })).toThrow(/--port-base: expected a port number/);
    expect(() => planPorts({ portBase: '65530' })).toThrow(
      /--port-base: expected at most 65527 \(it uses N\.\.N\+8\), got 65530/,
    );
    expect(() => parsePort('12.5', '--x')).toThrow(/--x: expected a port number/);
  });

  it('rejects two services on one port', () => {
    expect(() => planPorts({ gatewayRest: '8001' })).toThrow(
      /port 8001 is given to both gateway REST, --rest-port and inference node gRPC, --node-port/,
    );
  });
});

describe('port probes (real sockets)', () => {
  it('finds a free port and sees it taken once something listens there', async () => {
    const port = await findFreePort();
    expect(await isPortFree(port)).toBe(true);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      expect(await isPortFree(port)).toBe(false);
      await expect(assertPortsFree({ gatewayRest: port, nodeGrpc: await findFreePort() })).rejects.toThrow(
        new RegExp(`port already in use: ${port} \\(gateway REST, --rest-port\\)`),
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await expect(assertPortsFree({ gatewayRest: port, redis: undefined })).resolves.toBeUndefined();
  });
});
