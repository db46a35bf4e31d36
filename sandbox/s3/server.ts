import S3rver from 's3rver';

/** s3rver checks signatures against this fixed key pair. */
export const S3_STAND_IN_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export type S3StandIn = { endpoint: string; close(): Promise<void> };

/**
 * An S3-compatible server on loopback that keeps objects under `directory`, standing in for S3 or
 * MinIO in development and tests. Clients need `forcePathStyle: true` and the credentials above.
 */
export const startS3StandIn = async (options: {
  port?: number;
  directory: string;
  buckets: string[];
}): Promise<S3StandIn> => {
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, close: () => server.close() };
};
