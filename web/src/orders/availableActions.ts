/**
 * Which ops actions the detail page offers in each status. Only a guide for the page: the API's
 * deciders are the authority and answer 409 when an action no longer fits.
 */
export type OrderActionKind =
  | 'start-enrollment'
  | 'resend-enrollment'
  | 'correct'
  | 'select-pharmacy'
  | 'resubmit-claim'
  | 'reship'
  | 'cancel'
  | 'retry-integration';

const CANCELLABLE = new Set([
  'received',
  'validated',
  'validation_issue',
  'awaiting_enrollment',
  'awaiting_routing',
  'awaiting_pharmacy_selection',
  'pharmacy_selected',
  'adjudicated',
  'adjudication_rejected',
  'awaiting_payment',
  'delivery_exception',
]);

export const availableActions = (order: {
  status: string;
  incident: { state: string } | null;
}): OrderActionKind[] => {
  const actions: OrderActionKind[] = [];
  if (order.status === 'validated') actions.push('start-enrollment');
  if (order.status === 'awaiting_enrollment') actions.push('resend-enrollment');
  if (order.status === 'validation_issue' || order.status === 'validated') actions.push('correct');
  if (order.status === 'awaiting_pharmacy_selection') actions.push('select-pharmacy');
  if (order.status === 'adjudication_rejected') actions.push('resubmit-claim');
  if (order.status === 'delivery_exception') actions.push('reship');
  if (order.incident?.state === 'manual_handling') actions.push('retry-integration');
  if (CANCELLABLE.has(order.status)) actions.push('cancel');
  return actions;
};

/** The correctable prescription fields, grouped as the corrections API takes them. */
export const CORRECTABLE_FIELDS = {
  patient: { lastName: 'Last name', firstName: 'First name', dateOfBirth: 'Date of birth (YYYY-MM-DD)' },
  prescriber: { npi: 'NPI', dea: 'DEA number' },
  pharmacy: { npi: 'NPI' },
  medication: {
    productCode: 'Product code (NDC)',
    quantity: 'Quantity',
    daysSupply: 'Days supply',
    refills: 'Refills',
    sig: 'Directions (Sig)',
    writtenDate: 'Written date (YYYY-MM-DD)',
  },
} as const;

export type CorrectionGroup = keyof typeof CORRECTABLE_FIELDS;
export type CorrectionValues = {
  [G in CorrectionGroup]: Partial<Record<keyof (typeof CORRECTABLE_FIELDS)[G], string>>;
};

/** Only the fields someone filled in; an empty box means "leave as is", never "erase". */
export const buildCorrections = (values: CorrectionValues) => {
  const corrections: Record<string, Record<string, string>> = {};
  for (const [group, fields] of Object.entries(values)) {
    const filled = Object.entries(fields as Record<string, string | undefined>)
      .map(([field, value]) => [field, value?.trim() ?? ''] as const)
      .filter(([, value]) => value !== '');
    if (filled.length > 0) corrections[group] = Object.fromEntries(filled);
  }
  return corrections;
};
