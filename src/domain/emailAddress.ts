/**
 * One e-mail address: a single RFC 5322 addr-spec in its everyday form, `local@domain`, nothing
 * around it. No display name, no comments, no quoted local part, no list: an address that could
 * be read as two (`a@b, c@d`, `a@b;c@d`, `Name <a@b>, c@d`) or carry a header (`a@b\r\nBcc: c@d`)
 * would send a patient's link to whoever wrote the second one.
 */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const LOCAL_PART = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*$`);
/** LDH labels (punycode for international names), at least two of them, none over 63. */
const DOMAIN =
  /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export const MAX_EMAIL_LENGTH = 254;

export const isSingleEmailAddress = (value: string): boolean => {
  if (value.length === 0 || value.length > MAX_EMAIL_LENGTH) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return local.length <= 64 && LOCAL_PART.test(local) && DOMAIN.test(domain);
};
