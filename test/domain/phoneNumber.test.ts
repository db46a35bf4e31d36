import { describe, expect, it } from 'vitest';
import { normalisePhoneNumber, smsNumber } from '../../src/domain/phoneNumber.js';

describe('US phone numbers in E.164', () => {
  it.each([
    ['(415) 555-0132', '+14155550132'],
    ['415-555-0132', '+14155550132'],
    ['415.555.0132', '+14155550132'],
    ['1 415 555 0132', '+14155550132'],
    ['+1 (415) 555-0132', '+14155550132'],
    ['011 1 415 555 0132', '+14155550132'],
    [' 4155550132 ', '+14155550132'],
  ])('reads %s as %s', (input, e164) => {
    expect(normalisePhoneNumber(input, 'US')).toEqual({ ok: true, e164, country: 'US' });
  });

  it.each([
    ['', 'empty'],
    ['555-0132', 'wrong_length'],
    ['415 555 01320', 'wrong_length'],
    ['(015) 555-0132', 'not_a_valid_number'],
    ['(415) 055-0132', 'not_a_valid_number'],
    ['911 555 0132', 'not_a_valid_number'],
    ['415-555-0132 ext 4', 'unreadable'],
    ['415-CALL-NOW', 'unreadable'],
    ['415+555+0132', 'unreadable'],
    ['4155550132\u0000', 'unreadable'],
    ['4155550132\n+14155550199', 'unreadable'],
    ['+33 6 12 34 56 78', 'unsupported_country'],
    ['1'.repeat(40), 'too_long'],
  ])('refuses %j (%s)', (input, problem) => {
    const result = normalisePhoneNumber(input, 'US');
    expect(result).toMatchObject({ ok: false, problem });
    if (!result.ok) expect(result.message.length).toBeGreaterThan(5);
  });
});

describe('UK phone numbers in E.164', () => {
  it.each([
    ['07700 900123', '+447700900123'],
    ['+44 7700 900123', '+447700900123'],
    ['+44 (0)7700 900123', '+447700900123'],
    ['0044 7700 900123', '+447700900123'],
    ['0113 496 0123', '+441134960123'],
    ['020 7946 0018', '+442079460018'],
  ])('reads %s as %s', (input, e164) => {
    expect(normalisePhoneNumber(input, 'UK')).toEqual({ ok: true, e164, country: 'UK' });
  });

  it('reads a +1 number typed by a UK patient as American', () => {
    expect(normalisePhoneNumber('+1 415 555 0132', 'UK')).toMatchObject({ ok: true, e164: '+14155550132' });
  });

  it.each([
    ['7700 900123', 'wrong_length'],
    ['07700 90012', 'wrong_length'],
    ['07700 9001234', 'wrong_length'],
    ['04700 900123', 'not_a_valid_number'],
    ['+44 0 0700 900123', 'not_a_valid_number'],
  ])('refuses %j (%s)', (input, problem) => {
    expect(normalisePhoneNumber(input, 'UK')).toMatchObject({ ok: false, problem });
  });
});

describe('numbers that can take a text', () => {
  it('takes a UK mobile', () => {
    expect(smsNumber('07700 900123', 'UK')).toMatchObject({ ok: true, e164: '+447700900123' });
    expect(smsNumber('07624 123456', 'UK')).toMatchObject({ ok: true, e164: '+447624123456' });
  });

  it.each(['0113 496 0123', '020 7946 0018', '07600 123456'])('refuses the UK non-mobile %s', (input) => {
    expect(smsNumber(input, 'UK')).toMatchObject({ ok: false, problem: 'not_a_mobile' });
  });

  it('takes any valid US number, since US mobiles look like landlines', () => {
    expect(smsNumber('(415) 555-0132', 'US')).toMatchObject({ ok: true, e164: '+14155550132' });
  });
});
