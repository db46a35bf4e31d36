/**
 * How the IDU stand-in decides, from test data alone, so every test names its outcome in the
 * person it sends. IDU's published scoring: a smartscore below 0 is FAIL, 0–19 REFER, 20+ PASS.
 *
 *   surname "Fail…"      address and date of birth not found          FAIL   (-60)
 *   surname "Refer…"     address found, date of birth not confirmed   REFER  (15)
 *   surname "Sanction…"  everything found, a sanctions-list hit       FAIL   (-15)
 *   postcode ZZ1 1ZZ     no trace at the address                      REFER  (10)
 *   postcode ZZ9 9ZZ     mortality screen: reported deceased          FAIL   (-15)
 *   anyone else          address and date of birth confirmed          PASS   (85)
 *
 * `setOutcome(surname, …)` on the stand-in overrides the rules for one surname.
 */
export type IduOutcome = 'pass' | 'refer' | 'fail';
export type IduDocumentResult = 'pass' | 'fail' | 'manual_review';

export const NO_TRACE_POSTCODES: readonly string[] = ['ZZ1 1ZZ'];
export const DECEASED_POSTCODES: readonly string[] = ['ZZ9 9ZZ'];

export type ServiceResults = {
  address: { matched: boolean; source: string | null };
  dob: { matched: boolean };
  deathscreen: { alert: boolean };
  sanction: { alert: boolean };
  pep: { alert: boolean };
};

const normalisePostcode = (postcode: string) => postcode.replace(/\s+/g, '').toUpperCase();
const inList = (list: readonly string[], postcode: string) =>
  list.some((entry) => normalisePostcode(entry) === normalisePostcode(postcode));

const results = (found: { address: boolean; dob: boolean }, alerts: Partial<ServiceResults> = {}) => ({
  address: { matched: found.address, source: found.address ? 'Electoral Roll' : null },
  dob: { matched: found.dob },
  deathscreen: { alert: false },
  sanction: { alert: false },
  pep: { alert: false },
  ...alerts,
});

const FOR_OUTCOME: Record<IduOutcome, ServiceResults> = {
  pass: results({ address: true, dob: true }),
  refer: results({ address: true, dob: false }),
  fail: results({ address: false, dob: false }),
};

export const decideResults = (
  person: { surname: string },
  address: { postcode: string },
  overrides: ReadonlyMap<string, IduOutcome>,
): ServiceResults => {
  const surname = person.surname.trim().toLowerCase();
  const override = overrides.get(surname);
  if (override) return FOR_OUTCOME[override];
  if (surname.startsWith('fail')) return FOR_OUTCOME.fail;
  if (surname.startsWith('refer')) return FOR_OUTCOME.refer;
  if (surname.startsWith('sanction'))
    return results({ address: true, dob: true }, { sanction: { alert: true } });
  if (inList(DECEASED_POSTCODES, address.postcode)) {
    return results({ address: true, dob: true }, { deathscreen: { alert: true } });
  }
  if (inList(NO_TRACE_POSTCODES, address.postcode)) return results({ address: false, dob: true });
  return FOR_OUTCOME.pass;
};

/** Points per service, tuned so each rule above lands in the band IDU documents for it. */
export const smartscore = (r: ServiceResults): number =>
  (r.address.matched ? 45 : -30) +
  (r.dob.matched ? 40 : -30) +
  (r.deathscreen.alert ? -100 : 0) +
  (r.sanction.alert ? -100 : 0) +
  (r.pep.alert ? -20 : 0);

export const resultText = (score: number): 'PASS' | 'REFER' | 'FAIL' =>
  score < 0 ? 'FAIL' : score < 20 ? 'REFER' : 'PASS';

/** A failed search's documents go to a person; a referred one's pass if the image is readable. */
export const decideDocument = (
  searchResult: 'PASS' | 'REFER' | 'FAIL',
  surname: string,
  overrides: ReadonlyMap<string, IduDocumentResult>,
): IduDocumentResult =>
  overrides.get(surname.trim().toLowerCase()) ?? (searchResult === 'FAIL' ? 'manual_review' : 'pass');

const MAGIC: Record<string, readonly number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47],
  'application/pdf': [0x25, 0x50, 0x44, 0x46],
};
export const DOCUMENT_CONTENT_TYPES = Object.keys(MAGIC);

/** IDU reads the image; bytes that are not what they claim to be cannot be read. */
export const looksLike = (bytes: Buffer, contentType: string): boolean => {
  const magic = MAGIC[contentType];
  return magic !== undefined && bytes.length > magic.length && magic.every((byte, i) => bytes[i] === byte);
};
