import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { SqlQueryable } from '../../platform/sql.js';
import type { AuditKey } from './auditRecord.js';

/**
 * The head of the audit chain at a moment, signed under the audit key and written somewhere the
 * database cannot reach (a directory the auditor collects, or an S3 bucket with object lock). Later,
 * the chain must still hold exactly this hash at this row: a trail rewritten by someone who holds
 * the key, or cut from its end together with its events, no longer does.
 */
export type Anchor = { seq: number; hash: string; anchoredAt: string; keyId: string; signature: string };

export type AnchorSource = { describe: string; list(): Promise<Anchor[]> };
export type AnchorSink = AnchorSource & { put(anchor: Anchor): Promise<string> };

const signed = (anchor: Omit<Anchor, 'signature'>, key: AuditKey) =>
  createHmac('sha256', key.secret)
    .update(`audit-anchor:${anchor.seq}:${anchor.hash}:${anchor.anchoredAt}:${anchor.keyId}`)
    .digest('hex');

export const signAnchor = (head: { seq: number; hash: string }, key: AuditKey, at: Date): Anchor => {
  const unsigned = { seq: head.seq, hash: head.hash, anchoredAt: at.toISOString(), keyId: key.id };
  return { ...unsigned, signature: signed(unsigned, key) };
};

export const anchorSignatureValid = (anchor: Anchor, key: AuditKey): boolean => {
  if (anchor.keyId !== key.id || typeof anchor.signature !== 'string') return false;
  const expected = Buffer.from(signed(anchor, key), 'hex');
  const given = Buffer.from(anchor.signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
};

const fileName = (seq: number) => `audit-anchor-${String(seq).padStart(12, '0')}.json`;
const ANCHOR_FILE = /^audit-anchor-\d{12}\.json$/;

const parseAnchor = (text: string): Anchor | null => {
  try {
    const value = JSON.parse(text) as Anchor;
    return Number.isInteger(value.seq) && typeof value.hash === 'string' ? value : null;
  } catch {
    return null;
  }
};

/** One JSON file per anchor in a directory; an existing file is never overwritten. */
export const fileAnchors = (dir: string): AnchorSink => ({
  describe: resolve(dir),
  async put(anchor) {
    await mkdir(dir, { recursive: true });
    const path = join(dir, fileName(anchor.seq));
    try {
      await writeFile(path, `${JSON.stringify(anchor, null, 2)}\n`, { flag: 'wx', mode: 0o444 });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    return path;
  },
  async list() {
    const names = await readdir(dir).catch(() => [] as string[]);
    const anchors = await Promise.all(
      names
        .filter((name) => ANCHOR_FILE.test(name))
        .map(async (name) => parseAnchor(await readFile(join(dir, name), 'utf8'))),
    );
    // An unreadable file still counts: it cannot vouch for anything, so it reads as unsigned.
    return anchors.map((a, i) => a ?? { seq: i, hash: '', anchoredAt: '', keyId: '', signature: '' });
  },
});

/** One object per anchor under a prefix; with S3 Object Lock the platform cannot rewrite them either. */
export const s3Anchors = (client: S3Client, bucket: string, prefix = 'audit-anchors/'): AnchorSink => ({
  describe: `s3://${bucket}/${prefix}`,
  async put(anchor) {
    const key = `${prefix}${fileName(anchor.seq)}`;
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(anchor),
        ContentType: 'application/json',
      }),
    );
    return `s3://${bucket}/${key}`;
  },
  async list() {
    const anchors: Anchor[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        const body = await client.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
        const parsed = parseAnchor((await body.Body?.transformToString()) ?? '');
        anchors.push(parsed ?? { seq: 0, hash: '', anchoredAt: '', keyId: '', signature: '' });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return anchors;
  },
});

/** Signs the chain's current head and exports it; nothing when the trail is empty. */
export const anchorAuditHead = async (
  pool: SqlQueryable,
  key: AuditKey,
  sink: AnchorSink,
  clock: Clock,
): Promise<(Anchor & { location: string }) | null> => {
  const { rows } = await pool.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  if (!rows[0]) return null;
  const anchor = signAnchor({ seq: Number(rows[0].seq), hash: rows[0].hash }, key, clock.now());
  const location = await sink.put(anchor);
  await pool.query(
    `INSERT INTO audit_anchors (seq, hash, anchored_at, key_id, signature, location)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [anchor.seq, anchor.hash, anchor.anchoredAt, anchor.keyId, anchor.signature, location],
  );
  return { ...anchor, location };
};

export type AuditAnchoring = {
  anchorNow(): Promise<(Anchor & { location: string }) | null>;
  stop(): void;
};

/** Anchors the head every `intervalMs` when it has moved, and on demand (the auditor's button). */
export const startAuditAnchoring = (options: {
  pool: SqlQueryable;
  key: AuditKey;
  sink: AnchorSink;
  clock: Clock;
  intervalMs: number;
  log: Logger;
}): AuditAnchoring => {
  let lastSeq = -1;
  const anchorNow = async () => {
    const anchor = await anchorAuditHead(options.pool, options.key, options.sink, options.clock);
    if (anchor) lastSeq = anchor.seq;
    return anchor;
  };
  const timer = setInterval(() => {
    options.pool
      .query<{ seq: number }>('SELECT max(seq) AS seq FROM audit_log')
      .then(async ({ rows }) => {
        if (rows[0]?.seq != null && Number(rows[0].seq) !== lastSeq) await anchorNow();
      })
      .catch((error: Error) => options.log.error({ err: error }, 'audit anchoring failed'));
  }, options.intervalMs);
  timer.unref();
  return { anchorNow, stop: () => clearInterval(timer) };
};
