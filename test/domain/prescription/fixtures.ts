import { readFileSync } from 'node:fs';
import { parseNewRx } from '../../../src/domain/prescription/ncpdp.js';
import type { NewRxMessage } from '../../../src/domain/prescription/types.js';

/** The clock for every prescription spec: nineteen days after the samples were written. */
export const NOW = new Date('2026-11-21T00:00:00Z');

export const readNcpdpFixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/ncpdp/${name}`, import.meta.url), 'utf8');

export const parsedFixture = (name: string): NewRxMessage => {
  const parsed = parseNewRx(readNcpdpFixture(name));
  if (!parsed.ok) throw new Error(`${name} did not parse: ${parsed.problems.join('; ')}`);
  return parsed.message;
};

/** The valid specialty sample with one change made: each spec states only what it varies. */
export const prescriptionWith = (change: (message: NewRxMessage) => void = () => {}): NewRxMessage => {
  const message = structuredClone(parsedFixture('newrx-specialty-valid.xml'));
  change(message);
  return message;
};

/** A minimal NewRx document around the given Body content. */
export const newRxDocument = (body: string, header = '<Header><MessageID>msg-1</MessageID></Header>') =>
  `<?xml version="1.0" encoding="UTF-8"?><Message xmlns="http://www.ncpdp.org/schema/SCRIPT">${header}<Body>${body}</Body></Message>`;
