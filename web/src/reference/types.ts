/** The reference data as the API sends it (see src/http/routes/reference/). */
export const STORAGE_CLASSES = ['ambient', 'refrigerated', 'frozen'] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

export const STORAGE_LABELS: Record<StorageClass, string> = {
  ambient: 'Room temperature',
  refrigerated: 'Refrigerated 2–8 °C',
  frozen: 'Frozen',
};

export const DEA_SCHEDULES = ['CI', 'CII', 'CIII', 'CIV', 'CV'] as const;

export type DrugListing = {
  proprietaryName: string | null;
  genericName: string | null;
  strength: string | null;
  dosageForm: string | null;
  route: string | null;
  labeler: string | null;
  packageDescription: string | null;
  deaSchedule: string | null;
};

export type CatalogueEntry = DrugListing & {
  ndc11: string;
  storageClass: StorageClass | null;
  specialty: boolean;
  limitedDistribution: string | null;
  rems: boolean;
  source: string;
  classifiedBy: string | null;
  classifiedAt: string | null;
  updatedAt: string;
};

export type ReviewItem = {
  ndc11: string;
  entry: CatalogueEntry | null;
  waitingOrders: number;
  prescribedAs: string[];
  waitingSince: string;
};

export type PlanRef = { bin: string; pcn: string };

export type PharmacyDetails = {
  name: string;
  npi: string;
  ncpdpId: string | null;
  address: { line1: string; city: string; state: string; postalCode: string };
  location: { lat: number; lon: number } | null;
  licensedStates: string[];
  acceptedPlans: PlanRef[];
  capabilities: { specialty: boolean; coldChain: boolean; frozen: boolean; limitedDistribution: string[] };
  capacityPerDay: number;
  turnaroundHours: number;
};

export type Pharmacy = PharmacyDetails & {
  id: string;
  status: 'active' | 'suspended';
  suspension: { reason: string; since: string; by: string } | null;
  openOrders: number;
};

export type UkProduct = {
  id: string;
  name: string;
  kind: 'POM' | 'P';
  coldChain: boolean;
  pricePence: number;
  packSize: string;
  available: boolean;
  questionnaireVersion: string;
};

/** `11` digits as the 5-4-2 label form staff read on a carton. */
export const ndcLabel = (ndc11: string) => `${ndc11.slice(0, 5)}-${ndc11.slice(5, 9)}-${ndc11.slice(9)}`;

export const drugTitle = (
  entry: Pick<CatalogueEntry, 'proprietaryName' | 'genericName' | 'strength' | 'ndc11'>,
) =>
  [entry.proprietaryName ?? entry.genericName ?? `NDC ${ndcLabel(entry.ndc11)}`, entry.strength]
    .filter(Boolean)
    .join(' ');
