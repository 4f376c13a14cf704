import { describe, expect, it } from 'vitest';
import { analyzeReceived } from '../../src/inbound/analyze-received.js';
import { createPolicy } from '../../src/policy/policy.js';
import { ENVELOPE_SPOOFS, PLACE_SPOOFS } from '../fixtures/received/spoofs.js';

const TRUSTED = ['mx.ours.test', '10.0.0.0/8'];
const policy = createPolicy({ inbound: { rules: [{ match: 'bank.test', level: 'encrypt' }] } });
const check = { trustedHosts: TRUSTED, policy, sender: 'client@bank.test' };

describe.each([
  ['client text in an address', ENVELOPE_SPOOFS],
  ['TLS text outside its documented place', PLACE_SPOOFS],
])('Received spoofing: %s', (_group, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: never judged tls', (_name, c) => {
    const result = analyzeReceived(c.header, check);
    expect(result.hops[0]?.tls).toBe(c.tls);
    expect(result.hops[0]?.tlsVersion).toBeNull();
    expect(result.status).toBe('boundary_found');
    expect(result.tls).toBe(c.tls);
    expect(result.rule?.outcome).not.toBe('met');
  });
});

describe('Received spoofing: whole chains', () => {
  it('the envelope-from spoof from the report: plaintext, the TLS rule not met', () => {
    const [spoof] = ENVELOPE_SPOOFS;
    const result = analyzeReceived(spoof?.header ?? '', check);
    expect(result).toMatchObject({ status: 'boundary_found', tls: 'plaintext' });
    expect(result.boundary).toMatchObject({ fromIp: '192.0.2.1', with: 'ESMTP', evidence: 'rfc3848' });
    expect(result.rule).toMatchObject({ outcome: 'not_met', reason: 'tls_missing' });
  });

  it('a HELO claiming a trusted address in an injected from clause does not open the chain', () => {
    // The client says HELO "[10.0.0.5] by mx.ours.test with ESMTPS id 1"; below it, a forged TLS hop.
    const injected = `Received: from [10.0.0.5] by mx.ours.test with ESMTPS id 1 (unknown [198.51.100.7])\r\n\tby mx.ours.test (Postfix) with ESMTP id 2; Fri, 27 Nov 2026 10:30:00 +0100\r\n`;
    const forged = `Received: from mail.bank.test (mail.bank.test [192.0.2.10])\r\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n\tby mx.ours.test (Postfix) with ESMTPS id 3; Fri, 27 Nov 2026 10:29:00 +0100\r\n`;
    const result = analyzeReceived(injected + forged, check);
    expect(result.hops[0]).toMatchObject({ fromIp: null, fromTrusted: false, problem: 'repeated_clause' });
    expect(result).toMatchObject({ status: 'boundary_found', tls: 'unknown' });
    expect(result.boundary?.index).toBe(0);
    expect(result.rule?.outcome).toBe('undetermined');
  });

  it('the documented formats with an address holding TLS text still read their own evidence', () => {
    const header = `Received: from mail.sender.test ([192.0.2.30] helo=smtp.sender.test)
\tby mx.ours.test with esmtps  (TLS1.3) tls TLS_AES_256_GCM_SHA384
\t(Exim 4.96)
\t(envelope-from <"x) (using TLSv1.2 with cipher AES128-SHA"@bank.test>)
\tid 1tABCD-000123-4x
\tfor info@kanzlei.test; Fri, 27 Nov 2026 10:17:00 +0100`;
    const result = analyzeReceived(header, check);
    expect(result).toMatchObject({ status: 'boundary_found', tls: 'tls', tlsVersion: 'TLSv1.3' });
    expect(result.boundary).toMatchObject({ evidence: 'exim', cipher: 'TLS_AES_256_GCM_SHA384' });
    expect(result.rule).toMatchObject({ outcome: 'met', reason: 'tls_ok' });
  });
});
