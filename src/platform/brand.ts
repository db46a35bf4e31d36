/**
 * The pharmacy's names. One brand runs both flows, but they are two businesses: the US flow is a
 * specialty pharmacy licensed in the states it ships to, the UK flow a GPhC-registered online
 * pharmacy. Each patient reads the name of the business that serves them; staff read the brand.
 */
export type Brand = {
  /** Staff pages, page titles and the e-mail sender's display name. */
  name: string;
  /** The US specialty pharmacy: enrollment and order pages, e-mails and texts. */
  us: string;
  /** The UK online pharmacy: consultation pages, e-mails, texts, GP letters, Royal Mail sender. */
  uk: string;
};

export const DEFAULT_BRAND: Brand = {
  name: 'Northfield Pharmacy',
  us: 'Northfield Specialty Pharmacy',
  uk: 'Northfield Online Pharmacy',
};
