// Tier decisions per second on one core: assessTier (BSI profile verdict, authentication, reasons)
// for a mix of sessions, and with the qualified-level check on top, as a transport would run it
// once per session. The kinds run interleaved, round after round; the ratios are the figures to read.
import { assessTier, type SessionFacts, tlsShortfall } from '../src/policy/index.js';

const ROUNDS = 5;
const PER_ROUND = 500_000;

const PROFILE: SessionFacts = {
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  group: 'secp256r1',
  groupType: 'ECDH',
  groupBits: 256,
  peerKeyType: 'rsa',
  peerKeyBits: 3072,
  chainValid: true,
  nameValid: true,
  dnsSanMatch: true,
};

const KINDS: Readonly<Record<string, SessionFacts>> = {
  'qualified (MTA-STS)': { ...PROFILE, mtaStsMode: 'enforce', mtaStsMxMatched: true },
  'encrypted (pkix only)': PROFILE,
  'encrypted (AES128-SHA, RSA-1024)': {
    ...PROFILE,
    protocol: 'TLSv1.2',
    cipher: 'TLS_RSA_WITH_AES_128_CBC_SHA',
    group: undefined,
    peerKeyBits: 1024,
  },
  plaintext: { protocol: null },
};

const REQUIREMENT = { level: 'qualified', minVersion: 'TLSv1.2', fingerprints: [] } as const;

function measure(facts: SessionFacts, withCheck: boolean): number {
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < PER_ROUND; i++) {
    const tier = assessTier(facts);
    sink += tier.reasons.length;
    if (withCheck) {
      const shortfall = tlsShortfall(
        { protocol: facts.protocol, certificateVerified: true, tier: tier.tier },
        REQUIREMENT,
      );
      sink += shortfall === undefined ? 1 : 0;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (sink < 0) throw new Error('unreachable');
  return PER_ROUND / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function main(): Promise<void> {
  const names = Object.keys(KINDS);
  const results = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) {
      for (const withCheck of [false, true]) {
        const key = `${name}|${withCheck}`;
        results.set(key, [...(results.get(key) ?? []), measure(KINDS[name]!, withCheck)]);
      }
    }
  }
  const rate = (name: string, withCheck: boolean) => median(results.get(`${name}|${withCheck}`)!);
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  console.log(`tier: decisions per second (one core, median of ${ROUNDS} interleaved rounds)`);
  for (const name of names) {
    console.log(
      `  ${name}: assessTier ${fmt(rate(name, false))}/s; with the qualified check ${fmt(rate(name, true))}/s`,
    );
  }
  const slowest = Math.min(...names.map((n) => rate(n, true)));
  console.log(
    `  slowest kind with the check: ${fmt(slowest)}/s (one assessment per TLS session, not per message)`,
  );
}
