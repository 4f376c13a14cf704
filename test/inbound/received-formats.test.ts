import { describe, expect, it } from 'vitest';
import { analyzeReceived } from '../../src/inbound/analyze-received.js';
import { FORMATS } from '../fixtures/received/formats.js';

// Every fixture's by-host is trusted and its client address is not, so each header is the boundary
// hop on its own and the table checks the per-hop reading.
const TRUST_EVERYTHING_BY = ['*.test', '*.google.test', 'mx.google.test', '2002:a05:6402::/48'];

describe.each(Object.entries(FORMATS))('Received format: %s', (_format, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const [hop] = analyzeReceived(c.header, { trustedHosts: TRUST_EVERYTHING_BY }).hops;
    expect(hop).toBeDefined();
    const { tls, evidence, ...fields } = c.expect;
    expect({ tls: hop?.tls, evidence: hop?.evidence }).toEqual({ tls, evidence });
    for (const [key, value] of Object.entries(fields)) {
      expect(hop?.[key as keyof typeof hop], key).toEqual(value);
    }
    if (tls !== 'tls') {
      expect(hop?.tlsVersion).toBeNull();
      expect(hop?.cipher).toBeNull();
    }
  });
});

describe('Received format: versions', () => {
  // Each comment in its format's documented place: Sendmail/Gmail after the id, Postfix after the
  // from clause's host/IP comment.
  const tail = (comment: string) =>
    `Received: from a.test (a.test [192.0.2.1]) by mx.test with ESMTPS id 1 (${comment}); date`;
  const postfix = (comment: string) =>
    `Received: from a.test (a.test [192.0.2.1]) (${comment}) by mx.test (Postfix) with ESMTPS id 1; date`;
  it.each([
    [tail('version=TLS1_0, cipher=ECDHE-RSA-AES256-SHA'), 'TLSv1'],
    [tail('version=TLS1_1, cipher=ECDHE-RSA-AES256-SHA'), 'TLSv1.1'],
    [tail('version=TLS1_2, cipher=X'), 'TLSv1.2'],
    [tail('version=TLSv1.2 cipher=X bits=256'), 'TLSv1.2'],
    [postfix('using TLSv1.1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)'), 'TLSv1.1'],
    [postfix('using SSLv3 with cipher DHE-RSA-AES256-SHA (256/256 bits)'), 'SSLv3'],
  ])('%s → %s', (header, version) => {
    const [hop] = analyzeReceived(header, { trustedHosts: ['mx.test'] }).hops;
    expect(hop?.tls).toBe('tls');
    expect(hop?.tlsVersion).toBe(version);
  });
});
