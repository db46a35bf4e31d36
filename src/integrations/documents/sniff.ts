/** Upper bound for one insurance card photo: a phone camera JPEG is 2–6 MB. */
export const MAX_CARD_IMAGE_BYTES = 10 * 1024 * 1024;

export type SniffedDocumentType = 'image/jpeg' | 'image/png' | 'application/pdf';

const SIGNATURES: readonly { type: SniffedDocumentType; bytes: readonly number[] }[] = [
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
];

/**
 * Markup a browser would run if it ever rendered the file as a page (a PDF/HTML polyglot). A photo
 * or a scanned card holds none, so a file that does is refused rather than cleaned. Each marker is
 * five bytes or more, so random image data matches one about once in 10^4 files of 5 MB.
 */
const MARKUP =
  /<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|script|iframe|object[\s>]|embed[\s>]|svg[\s/>]|math[\s>]|meta\s|base\s|form[\s>]|\?xml-stylesheet)/i;

/** PDF actions that run code or launch or carry files when the PDF is opened. */
const PDF_ACTIONS = /\/(?:JavaScript|JS\s*[(<]|Launch|EmbeddedFile|RichMedia|XFA)/;

/** Latin-1 keeps one character per byte, so the patterns see every byte of a binary file. */
const asText = (buffer: Uint8Array) =>
  Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).toString('latin1');

export const hasActiveContent = (buffer: Uint8Array, type: SniffedDocumentType): boolean => {
  const text = asText(buffer);
  return MARKUP.test(text) || (type === 'application/pdf' && PDF_ACTIONS.test(text));
};

/**
 * The type an upload really is, read from its bytes. The browser's Content-Type and the file name
 * are the uploader's claim; this is what gets stored and served, so a renamed file is refused, and
 * so is a file that is also something a browser or PDF reader would execute.
 */
export const sniffDocumentType = (buffer: Uint8Array): SniffedDocumentType | null => {
  const type = SIGNATURES.find(({ bytes }) => bytes.every((byte, index) => buffer[index] === byte))?.type;
  if (!type || hasActiveContent(buffer, type)) return null;
  return type;
};

/** `photo-id-….png`: a file name for Content-Disposition, safe in a quoted header value. */
export const attachmentName = (stem: string, type: SniffedDocumentType): string => {
  const extension = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' }[type];
  return `${stem.replaceAll(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80)}.${extension}`;
};
