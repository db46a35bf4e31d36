// Synthetic NCPDP NewRx messages for the demo and the benchmark. Every person is fictional: made-up
// names, 555-01xx telephone numbers and example.org addresses, as the NCPDP notes ask.
import { CITIES } from '../../src/domain/routing/cities.js';
import { npiCheckDigit } from '../../src/domain/routing/npi.js';
import { type SeededRandom, seededRandom } from '../../src/domain/routing/prng.js';
import { SAMPLE_DRUGS, type SampleDrug } from '../data/drugs.js';
import { PLANS, type Plan } from '../data/plans.js';

const FIRST = [
  'Adaeze',
  'Bram',
  'Carys',
  'Dmitri',
  'Eleni',
  'Farid',
  'Greta',
  'Hiroshi',
  'Imani',
  'Joaquin',
  'Keziah',
  'Lior',
  'Mireille',
  'Nnamdi',
  'Oksana',
  'Priya',
  'Quentin',
  'Rosalind',
  'Soren',
  'Talia',
];
const LAST = [
  'Okafor',
  'Lindqvist',
  'Abernathy',
  'Castellanos',
  'Dvorak',
  'Esterhazy',
  'Fairweather',
  'Gallagher',
  'Haverford',
  'Ishikawa',
  'Jovanovic',
  'Kowalczyk',
  'Larkspur',
  'Montgomery',
  'Nakamura',
  'Oyelaran',
  'Pemberton',
  'Quintero',
  'Rasmussen',
  'Szabo',
];
const STREETS = [
  'Larch Street',
  'Juniper Avenue',
  'Beacon Lane',
  'Harbor Road',
  'Maple Court',
  'Orchard Way',
  'Quarry Drive',
  'Willow Bend',
];

/** The drugs the demo's prescribers write: the shared sample's, every storage class among them. */
export const DEMO_DRUGS = (Object.values(SAMPLE_DRUGS) as SampleDrug[]).flatMap((drug) =>
  drug.prescription ? [{ ndc: drug.ndc11, storageClass: drug.storageClass, ...drug.prescription }] : [],
);

/**
 * The plan on the patient's card: Medicare from 65, the state's Medicaid plan for some residents,
 * a commercial plan otherwise, and always one whose formulary lists the drug, so every generated
 * order can be adjudicated.
 */
const planFor = (random: SeededRandom, state: string, birthYear: number, now: Date, ndc: string): Plan => {
  const covering = PLANS.filter((plan) => plan.formulary[ndc] && (!plan.state || plan.state === state));
  const age = now.getUTCFullYear() - birthYear;
  const medicare = covering.filter((plan) => plan.type === 'medicare');
  const medicaid = covering.filter((plan) => plan.type === 'medicaid');
  const commercial = covering.filter((plan) => plan.type === 'commercial');
  if (age >= 65 && medicare.length > 0) return random.pick(medicare);
  if (medicaid.length > 0 && random.chance(0.3)) return random.pick(medicaid);
  if (commercial.length > 0) return random.pick(commercial);
  throw new Error(`no sample plan covers NDC ${ndc}`);
};

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const validNpi = (random: SeededRandom) => {
  const nine = `1${Array.from({ length: 8 }, () => random.int(0, 9)).join('')}`;
  return `${nine}${npiCheckDigit(nine)}`;
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export type GeneratedRx = {
  messageId: string;
  xml: string;
  email: string;
  /** What the demo expects validation to say. */
  valid: boolean;
  needsPriorAuthorization: boolean;
  /** The patient's pharmacy benefit card, from the same plans the payer adjudicates. */
  plan: Pick<Plan, 'id' | 'bin' | 'pcn' | 'group'>;
  ndc11: string;
  patient: { firstName: string; lastName: string; dateOfBirth: string };
};

/** One NewRx; about one in ten carries a fault validation must catch. */
export const generateNewRx = (
  index: number,
  options: { seed?: number; now: Date; runId: string },
): GeneratedRx => {
  const random = seededRandom((options.seed ?? 7) * 1_000_003 + index);
  const firstName = random.pick(FIRST);
  const lastName = random.pick(LAST);
  const city = random.pick(CITIES);
  const drug = random.pick(DEMO_DRUGS);
  const birthYear = random.int(1945, 2004);
  const dob = `${birthYear}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
  const plan = planFor(random, city.state, birthYear, options.now, drug.ndc);
  const written = new Date(options.now.getTime() - random.int(0, 20) * 86_400_000).toISOString().slice(0, 10);
  const email = `${firstName}.${lastName}.${options.runId}.${index}@example.org`.toLowerCase();
  const fault = random.next() < 0.1 ? random.pick(['npi', 'sig', 'ndc'] as const) : null;
  const npi = validNpi(random);
  const prescriberNpi = fault === 'npi' ? `${npi.slice(0, 9)}${(Number(npi[9]) + 1) % 10}` : npi;
  const messageId = `DEMO-${options.runId}-${index}`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Message xmlns="http://www.ncpdp.org/schema/SCRIPT" TransactionDomain="SCRIPT" TransactionVersion="20170715">
  <Header>
    <To Qualifier="P">1234567</To>
    <From Qualifier="C">EHR-DEMO-01</From>
    <MessageID>${messageId}</MessageID>
    <SentTime>${options.now.toISOString()}</SentTime>
    <PrescriberOrderNumber>ORD-${options.runId}-${index}</PrescriberOrderNumber>
  </Header>
  <Body>
    <NewRx>
      <Patient><HumanPatient>
        <Identification><MedicalRecordIdentificationNumberEHR>MRN-${options.runId}-${index}</MedicalRecordIdentificationNumberEHR></Identification>
        <Name><LastName>${escapeXml(lastName)}</LastName><FirstName>${escapeXml(firstName)}</FirstName></Name>
        <Gender>${random.pick(['F', 'M', 'U'])}</Gender>
        <DateOfBirth><Date>${dob}</Date></DateOfBirth>
        <Address><AddressLine1>${random.int(10, 9999)} ${random.pick(STREETS)}</AddressLine1><City>${escapeXml(city.city)}</City><StateProvince>${city.state}</StateProvince><PostalCode>${city.postalCode}</PostalCode><CountryCode>US</CountryCode></Address>
        <CommunicationNumbers><PrimaryTelephone><Number>${random.int(200, 989)}55501${pad(random.int(0, 99))}</Number></PrimaryTelephone><ElectronicMail>${email}</ElectronicMail></CommunicationNumbers>
      </HumanPatient></Patient>
      <Prescriber><NonVeterinarian>
        <Identification><NPI>${prescriberNpi}</NPI></Identification>
        <Name><LastName>${random.pick(LAST)}</LastName><FirstName>${random.pick(FIRST)}</FirstName></Name>
      </NonVeterinarian></Prescriber>
      <MedicationPrescribed>
        <DrugDescription>${escapeXml(drug.description)}</DrugDescription>
        <DrugCoded><ProductCode><Code>${fault === 'ndc' ? `${drug.ndc.slice(0, 4)}-${drug.ndc.slice(4, 7)}-${drug.ndc.slice(7, 9)}` : drug.ndc}</Code><Qualifier>ND</Qualifier></ProductCode></DrugCoded>
        <Quantity><Value>${drug.quantity}</Value><CodeListQualifier>38</CodeListQualifier><QuantityUnitOfMeasure><Code>C48542</Code></QuantityUnitOfMeasure></Quantity>
        <DaysSupply>${drug.days}</DaysSupply>
        <WrittenDate><Date>${written}</Date></WrittenDate>
        <Substitutions>0</Substitutions>
        <NumberOfRefills>${random.int(0, 5)}</NumberOfRefills>
        <Sig><SigText>${fault === 'sig' ? '' : escapeXml(drug.sig)}</SigText></Sig>
      </MedicationPrescribed>
    </NewRx>
  </Body>
</Message>`;
  return {
    messageId,
    xml,
    email,
    valid: fault === null,
    needsPriorAuthorization: plan.formulary[drug.ndc]?.priorAuthRequired ?? false,
    plan: { id: plan.id, bin: plan.bin, pcn: plan.pcn, group: plan.group },
    ndc11: drug.ndc,
    patient: { firstName, lastName, dateOfBirth: dob },
  };
};
