/** Where uploaded documents (insurance card images, receipts) are kept, addressed by key. */
export type DocumentStore = {
  put(input: {
    key: string;
    body: Buffer;
    contentType: string;
    metadata?: Record<string, string>;
  }): Promise<{ key: string; etag: string; size: number }>;
  /** Null when nothing is stored under the key. */
  get(key: string): Promise<{ body: Buffer; contentType: string } | null>;
};
