import { describe, expect, it } from 'vitest';
import {
  atLeast,
  nodemailerVersion,
  parseVersion,
  REQUIRETLS_SINCE,
  requireNodemailer,
} from '../../src/internal/nodemailer-version.js';

describe('nodemailer version checks', () => {
  it('parses x.y.z and ignores a pre-release tail; an unreadable version is 0.0.0', () => {
    expect(parseVersion('7.0.12')).toEqual([7, 0, 12]);
    expect(parseVersion('10.1.0-beta.2')).toEqual([10, 1, 0]);
    expect(parseVersion('x')).toEqual([0, 0, 0]);
    expect(parseVersion(undefined)).toEqual([0, 0, 0]);
  });

  it.each([
    ['7.0.12', true],
    ['7.0.13', true],
    ['7.1.0', true],
    ['10.0.0', true],
    ['7.0.11', false],
    ['6.10.99', false],
    ['0.0.0', false],
  ])('atLeast(%s, 7.0.12) is %s', (version, expected) => {
    expect(atLeast(version, REQUIRETLS_SINCE)).toBe(expected);
  });

  it('reads the version of the nodemailer loaded', () => {
    expect(nodemailerVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('refuses a feature the loaded nodemailer lacks with EUNSUPPORTED naming both versions', () => {
    expect(() => requireNodemailer('REQUIRETLS', [99, 0, 0], 'recipientProtection')).toThrow(
      expect.objectContaining({
        code: 'EUNSUPPORTED',
        path: 'recipientProtection',
        value: nodemailerVersion(),
        message: expect.stringContaining(
          `needs nodemailer 99.0.0 or newer; this is nodemailer ${nodemailerVersion()}`,
        ),
      }),
    );
    expect(() => requireNodemailer('anything', [6, 9, 0])).not.toThrow();
  });
});
