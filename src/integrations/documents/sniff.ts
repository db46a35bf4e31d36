/** Upper bound for one insurance card photo: a phone camera JPEG is 2–6 MB. */
export const MAX_CARD_IMAGE_BYTES = 10 * 1024 * 1024;

export type SniffedDocumentType = 'image/jpeg' | 'image/png' | 'application/pdf';

const SIGNATURES: readonly { type: SniffedDocumentType; bytes: readonly number[] }[] = [
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
];

/**
 * The type an upload really is, read from its first bytes. The browser's Content-Type and the file
 * name are the uploader's claim; this is what gets stored and served, so a renamed file is refused.
 */
export const sniffDocumentType = (buffer: Uint8Array): SniffedDocumentType | null =>
  SIGNATURES.find(({ bytes }) => bytes.every((byte, index) => buffer[index] === byte))?.type ?? null;
