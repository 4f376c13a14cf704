import { ERROR_CODES } from '../../errors/codes.js';
import type { PlannedRecipient } from '../plan.js';
import { refusal } from '../refusal.js';
import { failedReport } from '../report.js';
import type { RecipientReport } from '../types.js';
import type { RecipientTlsCheck } from './mx-check-types.js';

/**
 * `check-mx`: asks `check` about each TLS-required recipient's domain before sending; those that fail
 * (or whose check throws) are refused with `ERECIPIENTTLS` at `relay-check`. Without a check, all pass.
 */
export async function checkRecipients(
  check: RecipientTlsCheck | undefined,
  planned: readonly PlannedRecipient[],
): Promise<{ pass: PlannedRecipient[]; refused: RecipientReport[] }> {
  if (check === undefined) return { pass: [...planned], refused: [] };
  const verdicts = await Promise.all(
    planned.map(async (p) => {
      if (!p.decision.tlsRequired) return undefined;
      const { level, minVersion, fingerprints } = p.decision;
      try {
        return await check(p.decision.domain, { level, minVersion, fingerprints });
      } catch (error) {
        return { ok: false, message: `check failed: ${String(error)}` };
      }
    }),
  );
  const pass: PlannedRecipient[] = [];
  const refused: RecipientReport[] = [];
  for (const [i, p] of planned.entries()) {
    const verdict = verdicts[i];
    if (verdict === undefined || verdict.ok) {
      pass.push(p);
      continue;
    }
    const message = `${ERROR_CODES.ERECIPIENTTLS.summary}: ${verdict.code ?? ''} ${verdict.message ?? ''}`;
    const why = refusal('ERECIPIENTTLS', 'relay-check', message.trim());
    const site = verdict.mx === undefined ? { mxTried: [] } : { mx: verdict.mx, mxTried: [verdict.mx] };
    refused.push(failedReport(p, why, site, 'check-mx'));
  }
  return { pass, refused };
}
