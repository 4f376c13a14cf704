import { AssertionError } from 'node:assert';
import fc from 'fast-check';
import { ARG, type Path } from './fuzz-harness.js';

// The explicit exceptions of the fuzz suite, each with its reason. Everything not listed here is
// called with random argument lists and with mutations of its valid sample.

/** Arguments whose first one is never a valid domain, the rest random. */
const badDomainFirst = fc.tuple(
  fc.oneof(
    ARG.filter((v) => typeof v !== 'string'),
    fc.string().map((s) => `${s} not a domain`),
  ),
  ARG,
);

/**
 * Exports that may only be called with bad arguments: none at present (probeDomain, which needed
 * it, is pinned below). The mechanism stays for an export whose valid call cannot be kept offline.
 */
export const BAD_ARGUMENTS_ONLY: Readonly<Record<string, fc.Arbitrary<unknown[]>>> = {};

/** The offline resolver and the closed-port connect hook of the options (argument 1). */
const OFFLINE_OPTIONS: Path[] = [
  [1, 'resolver'],
  [1, 'connect'],
];

/**
 * Exports whose options default to the system DNS (or a real connection): a random argument list
 * with a valid domain would query the internet. They get two kinds of calls instead: bad arguments
 * (the first never a valid domain, the options random: the options are checked, then the domain
 * fails) and their offline sample with one place replaced, except the pinned places, which keep the
 * offline resolver and the closed-port connect hook (and everything in them).
 * - probeDomain: without `resolver` it asks the system DNS for the domain's MX hosts, without
 *   `connect` it connects to them on the internet.
 * - fetchMtaStsPolicy: without `resolver` it resolves `mta-sts.<domain>` with the system DNS, without
 *   `connect` it connects to that address.
 * - lookupMtaSts: the same, and the TXT lookup of `_mta-sts.<domain>`.
 * The suite's network guard (offline-guard.ts) proves that no call got through.
 */
export const PINNED: Readonly<
  Record<string, { readonly bad: fc.Arbitrary<unknown[]>; readonly keep: Path[] }>
> = {
  probeDomain: { bad: badDomainFirst, keep: OFFLINE_OPTIONS },
  fetchMtaStsPolicy: { bad: badDomainFirst, keep: OFFLINE_OPTIONS },
  lookupMtaSts: { bad: badDomainFirst, keep: OFFLINE_OPTIONS },
};

/** Runs per export where the default would be slow: each valid call generates a key or starts a server. */
export const RUNS_OF: Readonly<Record<string, number>> = {
  createTestCa: 8,
  startTestMx: 30,
  startTestPolicyHost: 30,
  createSelfSignedCertificate: 40,
};

/**
 * Valid calls that fail here by design, with the code they must fail with: the PostgreSQL store
 * points at a closed port, so a call that needs the database is ESTORE. Every other valid sample
 * must return (or resolve).
 */
export const SAMPLE_FAILS: Readonly<Record<string, string>> = {
  'PostgresWhitelistStore.add': 'ESTORE',
  'PostgresWhitelistStore.audit': 'ESTORE',
};

/** Thrown values that are an export's documented answer, not a failure. */
export const ALLOWED: Readonly<Record<string, (thrown: unknown) => boolean>> = {
  // Its purpose: an AssertionError listing the mismatches of a well-formed table.
  assertDecisions: (thrown) => thrown instanceof AssertionError,
};

// The test network's resolver and connect hook answer like node:dns: a failed lookup rejects with
// an Error carrying a node:dns code (made by dnsError), which is what a Resolver must do.
const dnsShaped = (thrown: unknown) =>
  thrown instanceof Error && typeof (thrown as { code?: unknown }).code === 'string' && 'syscall' in thrown;

/** Thrown values that are a method's documented answer. */
export const ALLOWED_METHODS: Readonly<Record<string, (thrown: unknown) => boolean>> = {
  'TestNetwork.connect': dnsShaped,
  'TestNetwork.resolver.resolveMx': dnsShaped,
  'TestNetwork.resolver.resolve4': dnsShaped,
  'TestNetwork.resolver.resolve6': dnsShaped,
  'TestNetwork.resolver.resolveTxt': dnsShaped,
};
