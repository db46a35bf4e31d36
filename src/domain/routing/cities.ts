import type { GeoPoint } from './geo.js';

export type PharmacyKind = 'national' | 'regional' | 'healthSystem' | 'community';

export type City = GeoPoint & {
  city: string;
  state: string;
  postalCode: string;
  /** The pharmacies the synthetic network places here, by kind. */
  pharmacies: readonly PharmacyKind[];
};

const KIND_CODES: Readonly<Record<string, PharmacyKind>> = {
  N: 'national',
  R: 'regional',
  H: 'healthSystem',
  C: 'community',
};

// City, state, centre, a ZIP code there, and the pharmacies placed in it: one letter each,
// N national mail-order hub, R regional specialty, H health-system specialty, C community.
const ROWS: readonly (readonly [string, string, number, number, string, string])[] = [
  ['Columbus', 'OH', 39.9612, -82.9988, '43215', 'NRHC'],
  ['Cleveland', 'OH', 41.4993, -81.6944, '44114', 'RHC'],
  ['Cincinnati', 'OH', 39.1031, -84.512, '45202', 'RC'],
  ['Dayton', 'OH', 39.7589, -84.1916, '45402', 'H'],
  ['Toledo', 'OH', 41.6528, -83.5379, '43604', 'C'],
  ['New York', 'NY', 40.7128, -74.006, '10001', 'RHCC'],
  ['Buffalo', 'NY', 42.8864, -78.8784, '14202', 'R'],
  ['Rochester', 'NY', 43.1566, -77.6088, '14604', 'H'],
  ['Albany', 'NY', 42.6526, -73.7562, '12207', 'C'],
  ['Los Angeles', 'CA', 34.0522, -118.2437, '90012', 'RHC'],
  ['San Francisco', 'CA', 37.7749, -122.4194, '94103', 'RH'],
  ['San Diego', 'CA', 32.7157, -117.1611, '92101', 'RC'],
  ['Sacramento', 'CA', 38.5816, -121.4944, '95814', 'H'],
  ['Fresno', 'CA', 36.7378, -119.7871, '93721', 'C'],
  ['Dallas', 'TX', 32.7767, -96.797, '75201', 'NRC'],
  ['Houston', 'TX', 29.7604, -95.3698, '77002', 'RHC'],
  ['Austin', 'TX', 30.2672, -97.7431, '78701', 'H'],
  ['San Antonio', 'TX', 29.4241, -98.4936, '78205', 'R'],
  ['El Paso', 'TX', 31.7619, -106.485, '79901', 'C'],
  ['Orlando', 'FL', 28.5383, -81.3792, '32801', 'NC'],
  ['Miami', 'FL', 25.7617, -80.1918, '33130', 'RH'],
  ['Tampa', 'FL', 27.9506, -82.4572, '33602', 'R'],
  ['Jacksonville', 'FL', 30.3322, -81.6557, '32202', 'H'],
  ['Pittsburgh', 'PA', 40.4406, -79.9959, '15222', 'NH'],
  ['Philadelphia', 'PA', 39.9526, -75.1652, '19103', 'RHC'],
  ['Harrisburg', 'PA', 40.2732, -76.8867, '17101', 'C'],
  ['Chicago', 'IL', 41.8781, -87.6298, '60601', 'RHC'],
  ['Springfield', 'IL', 39.7817, -89.6501, '62701', 'C'],
  ['Peoria', 'IL', 40.6936, -89.589, '61602', 'H'],
  ['Atlanta', 'GA', 33.749, -84.388, '30303', 'RHC'],
  ['Savannah', 'GA', 32.0809, -81.0912, '31401', 'C'],
  ['Charlotte', 'NC', 35.2271, -80.8431, '28202', 'RC'],
  ['Raleigh', 'NC', 35.7796, -78.6382, '27601', 'H'],
  ['Durham', 'NC', 35.994, -78.8986, '27701', 'H'],
  ['Detroit', 'MI', 42.3314, -83.0458, '48226', 'RC'],
  ['Grand Rapids', 'MI', 42.9634, -85.6681, '49503', 'H'],
  ['Ann Arbor', 'MI', 42.2808, -83.743, '48104', 'H'],
  ['Seattle', 'WA', 47.6062, -122.3321, '98101', 'RH'],
  ['Spokane', 'WA', 47.6588, -117.426, '99201', 'C'],
  ['Phoenix', 'AZ', 33.4484, -112.074, '85004', 'NH'],
  ['Tucson', 'AZ', 32.2226, -110.9747, '85701', 'C'],
  ['Boston', 'MA', 42.3601, -71.0589, '02108', 'RH'],
  ['Worcester', 'MA', 42.2626, -71.8023, '01608', 'C'],
  ['Denver', 'CO', 39.7392, -104.9903, '80202', 'RH'],
  ['Colorado Springs', 'CO', 38.8339, -104.8214, '80903', 'C'],
  ['Memphis', 'TN', 35.1495, -90.049, '38103', 'N'],
  ['Nashville', 'TN', 36.1627, -86.7816, '37203', 'RH'],
  ['Minneapolis', 'MN', 44.9778, -93.265, '55401', 'RH'],
  ['St. Louis', 'MO', 38.627, -90.1994, '63101', 'RC'],
];

/** Real cities and coordinates; the pharmacies placed in them are fictional. */
export const CITIES: readonly City[] = ROWS.map(([city, state, lat, lon, postalCode, kinds]) => ({
  city,
  state,
  lat,
  lon,
  postalCode,
  pharmacies: [...kinds].map((letter) => KIND_CODES[letter] as PharmacyKind),
}));

/** Where a regional pharmacy's nonresident licences usually reach: the states next door. */
export const NEIGHBOURING_STATES: Readonly<Record<string, readonly string[]>> = {
  OH: ['MI', 'IN', 'KY', 'WV', 'PA'],
  NY: ['NJ', 'PA', 'CT', 'MA', 'VT'],
  CA: ['OR', 'NV', 'AZ'],
  TX: ['NM', 'OK', 'AR', 'LA'],
  FL: ['GA', 'AL'],
  PA: ['NY', 'NJ', 'DE', 'MD', 'WV', 'OH'],
  IL: ['WI', 'IA', 'MO', 'KY', 'IN'],
  GA: ['FL', 'AL', 'TN', 'NC', 'SC'],
  NC: ['VA', 'TN', 'GA', 'SC'],
  MI: ['OH', 'IN', 'WI'],
  WA: ['OR', 'ID'],
  AZ: ['CA', 'NV', 'UT', 'NM'],
  MA: ['NH', 'VT', 'NY', 'CT', 'RI'],
  CO: ['WY', 'NE', 'KS', 'OK', 'NM', 'UT'],
  TN: ['KY', 'VA', 'NC', 'GA', 'AL', 'MS', 'AR', 'MO'],
  MN: ['WI', 'IA', 'SD', 'ND'],
  MO: ['IA', 'IL', 'KY', 'TN', 'AR', 'OK', 'KS', 'NE'],
};
