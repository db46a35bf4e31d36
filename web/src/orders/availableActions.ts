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
  | 'record-prior-authorization'
  | 'accept-payment'
  | 'refund-mismatched-payment'
  | 'record-delivery-status'
  | 'reship'
  | 'retry-integration'
  | 'correct-contact'
  | 'refund'
  | 'cancel';

const TERMINAL = new Set(['completed', 'cancelled']);

/** As the order decider has it: once the parcel is with the carrier, a return comes before a cancel. */
const CANCELLABLE = new Set([
  'received',
  'validated',
  'validation_issue',
  'awaiting_enrollment',
  'awaiting_routing',
  'awaiting_drug_review',
  'awaiting_pharmacy_selection',
  'pharmacy_selected',
  'adjudicated',
  'adjudication_rejected',
  'awaiting_payment',
  'payment_mismatch',
  'paid',
  'delivery_exception',
]);

/** The parcel is with the carrier: a status heard by phone can be recorded by hand. */
const IN_CARRIER_HANDS = ['shipped', 'in_transit', 'out_for_delivery'];
const DELIVERY_STEPS = ['in_transit', 'out_for_delivery', 'delivered'] as const;

export type ManualDeliveryStatus = (typeof DELIVERY_STEPS)[number] | 'failure' | 'returned';

/** The statuses ops may record for a parcel: only news, since one it already passed changes nothing. */
export const deliveryStatusChoices = (status: string): ManualDeliveryStatus[] => {
  if (!IN_CARRIER_HANDS.includes(status)) return [];
  const reached = DELIVERY_STEPS.indexOf(status as (typeof DELIVERY_STEPS)[number]);
  return [...DELIVERY_STEPS.slice(reached + 1), 'failure', 'returned'];
};

type MoneyTotals = { chargedMinor: number; refundedMinor: number; refundPendingMinor: number };

/** What may still go back: paid, less what was refunded or is on its way back (failed refunds do not count). */
export const refundableMinor = (money: MoneyTotals | undefined) =>
  money ? Math.max(0, money.chargedMinor - money.refundedMinor - money.refundPendingMinor) : 0;

export const availableActions = (order: {
  status: string;
  incidents: { state: string }[];
  money?: MoneyTotals;
}): OrderActionKind[] => {
  const { status } = order;
  const actions: OrderActionKind[] = [];
  if (status === 'validated') actions.push('start-enrollment');
  if (status === 'awaiting_enrollment') actions.push('resend-enrollment');
  if (status === 'validation_issue' || status === 'validated') actions.push('correct');
  if (status === 'awaiting_pharmacy_selection') actions.push('select-pharmacy');
  if (status === 'adjudication_rejected') actions.push('resubmit-claim', 'record-prior-authorization');
  if (status === 'payment_mismatch') actions.push('accept-payment', 'refund-mismatched-payment');
  if (IN_CARRIER_HANDS.includes(status)) actions.push('record-delivery-status');
  if (status === 'delivery_exception') actions.push('reship');
  if (order.incidents.some((i) => i.state === 'manual_handling')) actions.push('retry-integration');
  if (!TERMINAL.has(status)) actions.push('correct-contact');
  if (refundableMinor(order.money) > 0) actions.push('refund');
  if (CANCELLABLE.has(status)) actions.push('cancel');
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
