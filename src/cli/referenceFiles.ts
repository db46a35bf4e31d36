import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DirectoryRead, readNdcDirectory } from '../domain/catalogue/fdaNdcDirectory.js';
import { type PharmacyCsvRead, readPharmacyCsv } from '../domain/routing/pharmacyCsv.js';

/**
 * The FDA publishes the directory's text files in Windows-1252; read as UTF-8, every "é" or "®"
 * in a labeler's name would turn into a replacement character.
 */
const windows1252 = new TextDecoder('windows-1252');

/** `product.txt` and `package.txt` from a directory, as the FDA's ndctext.zip unpacks. */
export const readNdcDirectoryFiles = async (dir: string): Promise<DirectoryRead> => {
  const read = (name: string) =>
    readFile(join(dir, name)).then(
      (bytes) => windows1252.decode(bytes),
      (error: NodeJS.ErrnoException) => {
        throw new Error(
          error.code === 'ENOENT'
            ? `${join(dir, name)} not found: give the folder holding the FDA NDC Directory's product.txt and package.txt`
            : `cannot read ${join(dir, name)}: ${error.message}`,
        );
      },
    );
  const products = await read('product.txt');
  const packages = await read('package.txt');
  return readNdcDirectory(products, packages);
};

/** A pharmacy network CSV file (UTF-8). */
export const readPharmacyCsvFile = async (file: string): Promise<PharmacyCsvRead> =>
  readPharmacyCsv(await readFile(file, 'utf8'));
