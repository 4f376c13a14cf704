import { ForcedTlsError } from '../errors/index.js';
import type { Policy } from '../policy/index.js';

/**
 * The policy a Postfix table decides with: a fixed `Policy`, or a function returning the current
 * one, read once per lookup (so a long-running server can swap in a reloaded policy file without
 * closing a connection).
 */
export type PolicySource = Policy | (() => Policy);

function isPolicy(value: unknown): value is Policy {
  const p = value as Policy | undefined;
  return typeof p?.outbound === 'function' && typeof p.inbound === 'function' && p.defaults !== undefined;
}

/** Checks a policy source at construction; throws `EPOLICY` naming `path`. */
export function checkPolicySource(source: unknown, path = 'policy'): PolicySource {
  if (typeof source === 'function' || isPolicy(source)) return source as PolicySource;
  throw new ForcedTlsError(
    'EPOLICY',
    `${path} must be a Policy from createPolicy() or a function returning one`,
    {
      path,
    },
  );
}

/** The policy to decide with now; throws `EPOLICY` when a function returned no policy. */
export function currentPolicy(source: PolicySource): Policy {
  const policy = typeof source === 'function' ? source() : source;
  if (!isPolicy(policy)) throw new ForcedTlsError('EPOLICY', 'the policy function returned no Policy');
  return policy;
}
