import { describe, expect, it } from 'vitest';
import { isSingleEmailAddress } from '../../src/domain/emailAddress.js';

describe('one e-mail address', () => {
  it.each([
    'adaeze.okafor@example.org',
    'a+tag@sub.example.co.uk',
    "o'brien@example.ie",
    'x@xn--bcher-kva.example',
  ])('accepts %s', (address) => {
    expect(isSingleEmailAddress(address)).toBe(true);
  });

  it.each([
    'victim@example.org, attacker@evil.example',
    'victim@example.org; attacker@evil.example',
    'Name <victim@example.org>, attacker@evil.example',
    'Name <victim@example.org>',
    'victim@example.org\r\nBcc: attacker@evil.example',
    'victim@example.org\nattacker@evil.example',
    '"quoted local"@example.org',
    'victim@example.org (comment)',
    ' victim@example.org',
    'victim@localhost',
    'victim@@example.org',
    'victim.@example.org',
    '.victim@example.org',
    'vic..tim@example.org',
    'victim@-example.org',
    'victim@example.org\u0000',
    `${'a'.repeat(65)}@example.org`,
    `a@${'b'.repeat(250)}.org`,
    '',
  ])('refuses %j', (address) => {
    expect(isSingleEmailAddress(address)).toBe(false);
  });
});
