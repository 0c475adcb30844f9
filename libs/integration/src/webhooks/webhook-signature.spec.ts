import { signWebhook, verifyWebhookSignature } from './webhook-signature';
import { isInwardAddress, targetUrlProblems } from './webhook-target';
import { retryDelayMs } from './webhook-backoff';

describe('a webhook signature', () => {
  const secret = 'whsec_test';
  const body = '{"eventId":"e1","to":"WON"}';
  const t = 1_767_225_600;
  const header = signWebhook(secret, body, t);

  it('verifies over the exact body and timestamp, within the replay window', () => {
    expect(header).toMatch(/^t=1767225600,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(header, body, secret, { nowSeconds: t + 299 })).toEqual({ valid: true });
  });

  it('is refused for another body, another secret, an old timestamp or a forged one', () => {
    expect(verifyWebhookSignature(header, body.replace('WON', 'LOST'), secret, { nowSeconds: t })).toEqual({ valid: false, reason: 'signature does not match' });
    expect(verifyWebhookSignature(header, body, 'whsec_other', { nowSeconds: t })).toEqual({ valid: false, reason: 'signature does not match' });
    expect(verifyWebhookSignature(header, body, secret, { nowSeconds: t + 301 })).toEqual({ valid: false, reason: 'timestamp outside the tolerance' });
    const moved = header.replace(`t=${t}`, `t=${t + 10}`);
    expect(verifyWebhookSignature(moved, body, secret, { nowSeconds: t })).toEqual({ valid: false, reason: 'signature does not match' });
    expect(verifyWebhookSignature(undefined, body, secret)).toEqual({ valid: false, reason: 'no signature header' });
  });
});

describe('a webhook target', () => {
  it('is refused when it points inward, by address or by name', () => {
    for (const address of ['127.0.0.1', '10.0.0.8', '172.20.1.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1']) {
      expect({ address, inward: isInwardAddress(address) }).toEqual({ address, inward: true });
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '172.32.0.1']) {
      expect({ address, inward: isInwardAddress(address) }).toEqual({ address, inward: false });
    }
    expect(targetUrlProblems('http://localhost:3000/x', false)).toEqual(['url must not point at a private, loopback or link-local address']);
    expect(targetUrlProblems('http://localhost:3000/x', true)).toEqual([]);
    expect(targetUrlProblems('file:///etc/passwd', false)).toEqual(['url must use http or https']);
    expect(targetUrlProblems('https://user:pw@example.com/', false)).toEqual(['url must not carry credentials (sign with the secret instead)']);
  });
});

describe('the retry delay', () => {
  it('doubles from the base up to the cap, jittered over the upper half', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 5000, () => 1))).toEqual([1000, 2000, 4000, 5000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 5000, () => 0))).toEqual([500, 1000, 2000, 2500]);
  });
});
