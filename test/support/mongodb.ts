import { MongoDBContainer } from '@testcontainers/mongodb';
import { dockerAnswers } from './kurrentdb.js';

/** The image the suites start when no MONGODB_URL is given; MONGODB_IMAGE pins another. */
const IMAGE = process.env.MONGODB_IMAGE ?? 'mongo:8.0';

export type MongoDBServer = { url: string; close(): Promise<void> };

/**
 * Where a MongoDB contract suite gets its server: MONGODB_URL when set (a replica set member: the
 * read models commit in transactions), else a single-node replica set started by testcontainers
 * when a Docker engine answers; else `skipped` says why there is none.
 */
export type MongoDBTarget = { skipped?: string; open(): Promise<MongoDBServer> };

export const mongodbTarget = async (): Promise<MongoDBTarget> => {
  const url = process.env.MONGODB_URL;
  if (url) return { open: async () => ({ url, close: async () => {} }) };
  if (await dockerAnswers())
    return {
      async open() {
        // MongoDBContainer starts mongod as a one-node replica set (--replSet) and initiates it.
        const container = await new MongoDBContainer(IMAGE).start();
        return {
          url: `${container.getConnectionString()}?directConnection=true`,
          close: async () => {
            await container.stop();
          },
        };
      },
    };
  const skipped = 'no MONGODB_URL and no Docker engine answers';
  return { skipped, open: () => Promise.reject(new Error(skipped)) };
};
