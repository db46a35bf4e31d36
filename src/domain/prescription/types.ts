/**
 * What intake keeps from an NCPDP SCRIPT NewRx. Every value is the element's text as sent:
 * nothing is converted or judged here, so a faulty prescription still arrives whole and
 * validation can name each fault. Absent elements are undefined; a present but empty element
 * is the empty string, which validation tells apart (an empty Sig is its own fault).
 */
export type NewRxMessage = {
  header: MessageHeader;
  patient: Patient;
  pharmacy?: Pharmacy;
  prescriber: Prescriber;
  medication: MedicationPrescribed;
};

export type MessageHeader = {
  /** Unique per sender: the idempotency key for intake, so parsing insists on it. */
  messageId: string;
  sentTime?: string;
  to?: Party;
  from?: Party;
  prescriberOrderNumber?: string;
};

/** A header address; the qualifier says what kind of id it is (P pharmacy, C clinic...). */
export type Party = { id: string; qualifier?: string };

export type Patient = {
  /** Identification children by element name, in document order. */
  identifiers: Record<string, string>;
  lastName?: string;
  firstName?: string;
  middleName?: string;
  gender?: string;
  dateOfBirth?: string;
  address?: Address;
  phone?: string;
  email?: string;
};

export type Pharmacy = {
  ncpdpId?: string;
  npi?: string;
  name?: string;
  address?: Address;
  phone?: string;
};

export type Prescriber = {
  npi?: string;
  dea?: string;
  stateLicense?: string;
  lastName?: string;
  firstName?: string;
  address?: Address;
  phone?: string;
};

export type Address = {
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
};

export type MedicationPrescribed = {
  description?: string;
  productCode?: string;
  /** `ND` means the product code is an NDC. */
  productCodeQualifier?: string;
  strength?: string;
  strengthForm?: string;
  strengthUnit?: string;
  drugDbCode?: string;
  drugDbCodeQualifier?: string;
  quantity?: string;
  /** 38 = original quantity. */
  quantityQualifier?: string;
  /** An NCI code such as C48538. */
  quantityUnit?: string;
  daysSupply?: string;
  writtenDate?: string;
  substitutions?: string;
  refills?: string;
  /** The free-text Sig, which is authoritative over any structured Sig parts. */
  sig?: string;
  note?: string;
};
