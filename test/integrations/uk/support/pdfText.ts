import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream, type PDFRef } from 'pdf-lib';

// WinAnsi is Latin-1 except 0x80–0x9F; Node's TextDecoder treats windows-1252 as plain Latin-1.
const WIN_ANSI_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const winAnsi = (bytes: Buffer): string =>
  [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? WIN_ANSI_HIGH[b - 0x80] : String.fromCharCode(b))).join('');

/**
 * The text a PDF really draws, page by page and line by line: each page's content streams are
 * inflated and every hex string shown with `Tj` (how pdf-lib writes standard-font text) is decoded.
 * Nothing is taken from metadata, so a test passes only if the words are on the page.
 */
export const pdfPages = async (bytes: Uint8Array): Promise<string[][]> => {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((page) => {
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray
        ? contents.asArray().map((ref) => doc.context.lookup(ref as PDFRef))
        : [contents];
    return streams.flatMap((stream) => {
      if (!(stream instanceof PDFRawStream)) return [];
      const operators = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
      return [...operators.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)].map((m) =>
        winAnsi(Buffer.from(m[1] ?? '', 'hex')),
      );
    });
  });
};

/** All pages' lines joined by spaces: wrapped sentences read whole again. */
export const pdfText = async (bytes: Uint8Array): Promise<string> =>
  (await pdfPages(bytes)).flat().join(' ').replace(/\s+/g, ' ');
