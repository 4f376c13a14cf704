import type { ConnectHook, Resolver } from '../../dns/types.js';
import type { DnssecResolver } from '../../dnssec/index.js';
import type { Clock } from '../../internal/clock.js';
import type { MtaStsResolver } from '../../mta-sts/index.js';
import type { SessionPool } from '../session/session-pool.js';
import type { AttemptListener, Timeouts } from '../types.js';

/** What direct delivery needs from the transport. */
export interface DirectContext {
  readonly pool: SessionPool;
  readonly resolver: Resolver;
  readonly connect: ConnectHook | undefined;
  readonly port: number;
  readonly name: string;
  readonly timeouts: Timeouts;
  readonly ca: readonly string[] | undefined;
  readonly testing: boolean;
  /** The recipient domains' MTA-STS policies (RFC 8461); `undefined`: not looked up. */
  readonly mtaSts: MtaStsResolver | undefined;
  /** DNSSEC-validating lookups for DANE (RFC 7672); `undefined`: DANE off. */
  readonly dnssec: DnssecResolver | undefined;
  /** Offer only the BSI TR-02102-2 profile in every handshake (always for `qualified`). */
  readonly bsiProfile: boolean;
  /** Reports an attempt; must never throw (the transport's `reportAttempt` guarantees it). */
  readonly emit: AttemptListener;
  readonly random: () => number;
  /** The transport's clock, for `startedAt` (durations are measured on the system clock). */
  readonly clock: Clock;
}
