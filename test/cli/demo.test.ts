import { describe, expect, it } from 'vitest';
import { runNode } from './run-bin.js';

describe('npm run demo (examples/demo.ts in a child process)', () => {
  it('delivers over TLS (one recipient qualified by MTA-STS), refuses plaintext with the hint, whitelists, delivers again; exits 0 by itself', async () => {
    const r = await runNode(['--import', 'tsx', 'examples/demo.ts'], { timeoutMs: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    // first send: one delivered over TLS 1.3 with a verified certificate (encrypted tier), one
    // refused, one delivered at the qualified tier, authenticated by its MTA-STS policy
    expect(out).toMatch(
      /1\. Send[^\n]*\n {2}DELIVERED anna\.schmidt@mandant-gmbh\.test over TLSv1\.3 with TLS_\w+\n\s+tier encrypted, server authenticated by pkix \(not qualified: \w+\)\n\s+certificate CN=mx\.mandant-gmbh\.test, issuer forced-tls default test CA, verified/,
    );
    expect(out).toMatch(
      /DELIVERED urkunden@notariat\.test over TLSv1\.[23] with \S+\n\s+tier qualified, server authenticated by mta-sts \(MTA-STS enforce, id 20261201, mx mx\.notariat\.test\)/,
    );
    expect(out).toContain(
      'REFUSED   empfang@altpraxis.test: ENOSTARTTLS in phase starttls, may whitelist: true',
    );
    expect(out).toMatch(/received only: EHLO(, STARTTLS)? \(no sender/);
    // the hint in German and English
    expect(out).toContain(
      '[de] Nicht zugestellt: Der Mailserver von altpraxis.test unterstützt keine Verschlüsselung (TLS).',
    );
    expect(out).toContain('Bitten Sie Ihre Administration, altpraxis.test freizugeben (Whitelist).');
    expect(out).toContain(
      '[en] Not delivered: the mail server of altpraxis.test does not support encryption (TLS).',
    );
    expect(out).toContain('Ask your administrator to whitelist altpraxis.test.');
    // the documented entry, then the plaintext delivery reported as whitelisted
    expect(out).toMatch(/approved by Dr\. Berater \(Kanzleileitung\), consent EINW-2026-017/);
    expect(out).toMatch(
      /3\. Send the same message again\n {2}DELIVERED anna\.schmidt@mandant-gmbh\.test over TLSv1\.3/,
    );
    expect(out).toMatch(/DELIVERED empfang@altpraxis\.test WITHOUT TLS: WHITELISTED \(entry [\w-]+\)/);
    expect(out).toContain('mx.altpraxis.test received 1 message, secure: false');
    const done = /Done in (\d+\.\d) s: servers stopped, temporary files removed\.\n$/.exec(out);
    // the demo's own time, from start to shutdown (node and tsx start-up come on top)
    expect(Number(done?.[1])).toBeLessThan(10);
  });
});
