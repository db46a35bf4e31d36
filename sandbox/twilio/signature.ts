import { createHmac } from 'node:crypto';

/**
 * Twilio's X-Twilio-Signature as published: HMAC-SHA1, keyed with the account's auth token, over
 * the full URL Twilio requested followed by each POST field's name and value, sorted by name;
 * base64. Written here from the description, not taken from the SDK, so the platform's check
 * with the SDK is tested against an independent signer.
 */
export const twilioSignature = (authToken: string, url: string, params: Record<string, string>): string => {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
};
