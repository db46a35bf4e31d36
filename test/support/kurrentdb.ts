import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { GenericContainer, getContainerRuntimeClient, Wait } from 'testcontainers';

/** The image the suites start when no KURRENTDB_URL is given; KURRENTDB_IMAGE pins another. */
const IMAGE = process.env.KURRENTDB_IMAGE ?? 'docker.kurrent.io/kurrent-latest/kurrentdb:latest';
const HTTP_PORT = 2113;
/** How long the Docker probe may take before the engine counts as absent. */
const PROBE_MS = 5_000;

export type KurrentDBServer = { client: KurrentDBClient; close(): Promise<void> };

/**
 * Where a KurrentDB contract suite gets its server: KURRENTDB_URL when set, else a container
 * started by testcontainers when a Docker engine answers; else `skipped` says why there is none.
 */
export type KurrentDBTarget = { skipped?: string; open(): Promise<KurrentDBServer> };

const connect = (url: string): KurrentDBServer => {
  const client = KurrentDBClient.connectionString(url);
  return { client, close: () => client.dispose() };
};

export const dockerAnswers = async (): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_MS);
  });
  const probe = getContainerRuntimeClient().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** A single insecure in-memory node, gone when the suite closes it. */
const startContainer = async (): Promise<KurrentDBServer> => {
  const container = await new GenericContainer(IMAGE)
    .withEnvironment({
      KURRENTDB_CLUSTER_SIZE: '1',
      KURRENTDB_INSECURE: 'true',
      KURRENTDB_MEM_DB: 'true',
      KURRENTDB_RUN_PROJECTIONS: 'None',
    })
    .withExposedPorts(HTTP_PORT)
    .withWaitStrategy(Wait.forHttp('/health/live', HTTP_PORT).forStatusCode(204))
    .start();
  const server = connect(
    `kurrentdb://${container.getHost()}:${container.getMappedPort(HTTP_PORT)}?tls=false`,
  );
  return {
    client: server.client,
    async close() {
      await server.close();
      await container.stop();
    },
  };
};

export const kurrentdbTarget = async (): Promise<KurrentDBTarget> => {
  const url = process.env.KURRENTDB_URL;
  if (url) return { open: async () => connect(url) };
  if (await dockerAnswers()) return { open: startContainer };
  const skipped = 'no KURRENTDB_URL and no Docker engine answers';
  return {
    skipped,
    open: () => Promise.reject(new Error(skipped)),
  };
};
