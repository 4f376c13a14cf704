import { describe, expect, it } from 'vitest';
import { errorCode } from '../../src/internal/error-code.js';
import { certificateCode, PROTOCOL_VERSION_CODES } from '../../src/internal/tls-errors.js';

describe('shared TLS error reading', () => {
  it('maps Node certificate verdicts to recipient codes, and nothing else', () => {
    expect(certificateCode('ERR_TLS_CERT_ALTNAME_INVALID')).toBe('ECERTNAME');
    expect(certificateCode('CERT_HAS_EXPIRED')).toBe('ECERTEXPIRED');
    expect(certificateCode('CERT_NOT_YET_VALID')).toBe('ECERTEXPIRED');
    expect(certificateCode('DEPTH_ZERO_SELF_SIGNED_CERT')).toBe('ECERTUNTRUSTED');
    expect(certificateCode('ECONNRESET')).toBeUndefined();
    expect(certificateCode(undefined)).toBeUndefined();
    expect(PROTOCOL_VERSION_CODES.has('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION')).toBe(true);
  });

  it('reads a string code from any thrown value', () => {
    expect(errorCode(Object.assign(new Error('x'), { code: 'ETIMEOUT' }))).toBe('ETIMEOUT');
    expect(errorCode({ code: 42 })).toBeUndefined();
    expect(errorCode({ code: '' })).toBeUndefined();
    expect(errorCode('ENOTFOUND')).toBeUndefined();
    expect(errorCode(null)).toBeUndefined();
  });
});
