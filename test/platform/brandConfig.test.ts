import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';

describe("the pharmacy's names in the configuration", () => {
  it('given nothing set, then one brand and its US and UK businesses, and the brand as the mail sender', () => {
    const config = loadConfig({});
    expect(config.brand).toEqual({
      name: 'Northfield Pharmacy',
      us: 'Northfield Specialty Pharmacy',
      uk: 'Northfield Online Pharmacy',
    });
    expect(config.mailFrom).toBe('Northfield Pharmacy <no-reply@pharmacy.example.org>');
    expect(config.ukPharmacyAddress).toEqual(['12 Northfield Parade', 'Leeds', 'LS1 4AP']);
  });

  it('given the names and the UK address set, then every part of the platform reads those', () => {
    const config = loadConfig({
      PHARMACY_NAME: 'Riverbend Pharmacy',
      US_PHARMACY_NAME: 'Riverbend Specialty Rx',
      UK_PHARMACY_NAME: 'Riverbend Online Pharmacy',
      UK_PHARMACY_ADDRESS: '3 Mill Lane, York, YO1 7AA',
    });
    expect(config.brand).toEqual({
      name: 'Riverbend Pharmacy',
      us: 'Riverbend Specialty Rx',
      uk: 'Riverbend Online Pharmacy',
    });
    expect(config.mailFrom).toBe('Riverbend Pharmacy <no-reply@pharmacy.example.org>');
    expect(config.ukPharmacyAddress).toEqual(['3 Mill Lane', 'York', 'YO1 7AA']);
  });

  it('given an explicit MAIL_FROM or an empty name, then the sender is kept and the name refused', () => {
    expect(loadConfig({ MAIL_FROM: 'Ops <ops@example.org>' }).mailFrom).toBe('Ops <ops@example.org>');
    expect(() => loadConfig({ PHARMACY_NAME: '  ' })).toThrow(/PHARMACY_NAME/);
  });
});
