/** USPS codes the pharmacy ships to: the states, DC, the territories and military post offices. */
export const US_STATE_CODES = new Set(
  (
    'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND ' +
    'OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR VI GU AS MP AA AE AP'
  ).split(' '),
);

const ZIP = /^\d{5}(-\d{4})?$/;
const PHONE = /^\+?[0-9 ().-]{7,20}$/;

export type AddressDraft = { line1: string; line2: string; city: string; state: string; postalCode: string };
export type UsAddress = { line1: string; line2?: string; city: string; state: string; postalCode: string };
export type AddressErrors = Partial<Record<keyof AddressDraft, string>>;

export const emptyAddress = (): AddressDraft => ({
  line1: '',
  line2: '',
  city: '',
  state: '',
  postalCode: '',
});

/** `12 Elm St, Apt 4, Austin TX 78701`: one line, missing parts left out. */
export const addressLine = (address: Partial<AddressDraft> | undefined) =>
  address
    ? [
        address.line1,
        address.line2,
        [address.city, address.state, address.postalCode].filter(Boolean).join(' '),
      ]
        .filter(Boolean)
        .join(', ')
    : '';

export const isBlankAddress = (draft: AddressDraft) => Object.values(draft).every((v) => v.trim() === '');

/** The address as the API takes it (trimmed, state in capitals, no empty second line), or each field's problem. */
export const readUsAddress = (
  draft: AddressDraft,
): { ok: true; address: UsAddress } | { ok: false; errors: AddressErrors } => {
  const line1 = draft.line1.trim();
  const line2 = draft.line2.trim();
  const city = draft.city.trim();
  const state = draft.state.trim().toUpperCase();
  const postalCode = draft.postalCode.trim();
  const errors: AddressErrors = {};
  if (!line1) errors.line1 = 'Enter the street address.';
  else if (line1.length > 100) errors.line1 = 'Keep the street address under 100 characters.';
  if (line2.length > 100) errors.line2 = 'Keep the second line under 100 characters.';
  if (!city) errors.city = 'Enter the city.';
  else if (city.length > 60) errors.city = 'Keep the city under 60 characters.';
  if (!US_STATE_CODES.has(state)) errors.state = 'Enter the two-letter state code, for example TX.';
  if (!ZIP.test(postalCode)) errors.postalCode = 'Enter a 5-digit ZIP code, or ZIP+4.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, address: { line1, ...(line2 ? { line2 } : {}), city, state, postalCode } };
};

export type ContactDraft = { address: AddressDraft; phone: string; email: string };
export type ContactCorrection = { address?: UsAddress; phone?: string; email?: string };
export type ContactErrors = AddressErrors & { phone?: string; email?: string; form?: string };

/** Only what someone filled in is corrected; an empty box leaves that detail as it is. */
export const buildContactCorrection = (
  draft: ContactDraft,
): { ok: true; correction: ContactCorrection } | { ok: false; errors: ContactErrors } => {
  const phone = draft.phone.trim();
  const email = draft.email.trim();
  const errors: ContactErrors = {};
  const correction: ContactCorrection = {};
  if (!isBlankAddress(draft.address)) {
    const read = readUsAddress(draft.address);
    if (read.ok) correction.address = read.address;
    else Object.assign(errors, read.errors);
  }
  if (phone) {
    if (PHONE.test(phone)) correction.phone = phone;
    else errors.phone = 'Enter a phone number: digits, spaces, dashes or brackets.';
  }
  if (email) {
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254) correction.email = email;
    else errors.email = 'Enter an e-mail address like name@example.org.';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (Object.keys(correction).length === 0)
    return { ok: false, errors: { form: 'Give the new address, phone or e-mail.' } };
  return { ok: true, correction };
};

type Contact = {
  address: Partial<UsAddress> & { country?: string };
  phone: string | null;
  email: string | null;
};

/**
 * The order's contact details as staff corrected them; a view stored before corrections existed
 * has only the prescription's.
 */
export const contactOf = (order: {
  contact?: Contact;
  prescription: { patient: { address?: Contact['address']; phone?: string; email?: string } };
}): Contact =>
  order.contact ?? {
    address: order.prescription.patient.address ?? {},
    phone: order.prescription.patient.phone ?? null,
    email: order.prescription.patient.email ?? null,
  };
