import { stringArgument } from '../errors/index.js';

/** The result of parsing one `_mta-sts` TXT record. */
export type MtaStsTxtParse =
  | {
      /** `valid`: the record is a well-formed MTA-STS record. */
      readonly status: 'valid';
      /** The policy id: 1–32 letters and digits. */
      readonly id: string;
    }
  | {
      /** `invalid`: the record breaks the ABNF; the domain has no policy. */
      readonly status: 'invalid';
      /** What is wrong, in English; quotes at most 40 characters of the field. */
      readonly problem: string;
    };

/** What every MTA-STS TXT record begins with; others are discarded (RFC 8461 §3.1). */
export const MTA_STS_TXT_PREFIX = 'v=STSv1;';

const VERSION = 'v=STSv1';
const ID = /^id=([A-Za-z0-9]{1,32})$/;
const EXTENSION = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}=[\x21-\x3a\x3c\x3e-\x7e]+$/;
const WSP = /^[ \t]*|[ \t]*$/g;

function shown(field: string): string {
  return JSON.stringify(field.length > 40 ? `${field.slice(0, 40)}…` : field);
}

/**
 * Parses one TXT record of `_mta-sts.<domain>` (its character strings already concatenated without
 * spaces) by the ABNF of RFC 8461 §3.1: `v=STSv1` first, then `;`-separated fields with optional
 * spaces or tabs around each `;`, exactly one `id=` of 1–32 letters and digits, any other field a
 * well-formed extension (`name=value`, ignored). Case matters (`%s` in the ABNF). One deliberate
 * leniency: spaces or tabs after the last field are accepted without a closing `;`. A `record` that
 * is not a string throws `EPOLICY`.
 *
 * @example
 * ```ts
 * parseMtaStsTxt('v=STSv1; id=20260115T093000'); // { status: 'valid', id: '20260115T093000' }
 * parseMtaStsTxt('v=STSv1; id=2026-01-15');      // { status: 'invalid', problem: … }
 * ```
 */
export function parseMtaStsTxt(input: string): MtaStsTxtParse {
  const record = stringArgument('record', input);
  if (!record.startsWith(VERSION)) return { status: 'invalid', problem: 'does not begin with v=STSv1' };
  const [head, ...fields] = record.slice(VERSION.length).split(';');
  if (head === undefined || head.replace(WSP, '') !== '' || fields.length === 0) {
    return { status: 'invalid', problem: 'v=STSv1 is not followed by ";"' };
  }
  // A trailing ";" leaves one empty field at the end, which the ABNF allows.
  if (fields.length > 1 && fields[fields.length - 1]!.replace(WSP, '') === '') fields.pop();
  let id: string | undefined;
  for (const raw of fields) {
    const field = raw.replace(WSP, '');
    if (field === '') return { status: 'invalid', problem: 'empty field (";;" or no field after ";")' };
    if (field.startsWith('id=')) {
      const match = ID.exec(field);
      if (match === null)
        return { status: 'invalid', problem: `id must be 1-32 letters or digits: ${shown(field)}` };
      if (id !== undefined) return { status: 'invalid', problem: 'more than one id field' };
      id = match[1]!;
    } else if (!EXTENSION.test(field)) {
      return { status: 'invalid', problem: `malformed field ${shown(field)}` };
    }
  }
  if (id === undefined) return { status: 'invalid', problem: 'no id field' };
  return { status: 'valid', id };
}
