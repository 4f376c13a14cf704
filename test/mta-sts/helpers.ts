import type { MtaStsMode, MtaStsPolicy } from '../../src/mta-sts/index.js';

/** The text of a policy file (LF line ends). */
export function policyText(
  mode: MtaStsMode = 'enforce',
  mx: readonly string[] = ['mx1.mandant.test', '*.mx.mandant.test'],
  maxAge = 604_800,
): string {
  return ['version: STSv1', `mode: ${mode}`, ...mx.map((p) => `mx: ${p}`), `max_age: ${maxAge}`, ''].join(
    '\n',
  );
}

/** A valid policy padded with an unknown field to exactly `bytes` bytes. */
export function paddedPolicy(bytes: number): string {
  const head = policyText();
  const prefix = 'x-padding: ';
  const fill = bytes - head.length - prefix.length - 1;
  return `${head}${prefix}${'p'.repeat(fill)}\n`;
}

export type { MtaStsPolicy };
