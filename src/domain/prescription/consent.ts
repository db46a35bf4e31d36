/**
 * The consent the patient accepts at enrollment. A new wording gets a new version; both are recorded.
 * 2026-12-04: US spelling (authorize, authorization); the meaning is unchanged.
 */
export const CONSENT = {
  version: '2026-12-04',
  text: [
    'I authorize the pharmacy to use and disclose my health information, including this prescription',
    'and my insurance details, to fill the prescription, bill my insurance plan and any manufacturer',
    'copay program, and deliver the medication to me. I understand I may revoke this authorization in',
    'writing at any time, except where the pharmacy has already acted on it. I have received the',
    "pharmacy's Notice of Privacy Practices.",
  ].join(' '),
} as const;
