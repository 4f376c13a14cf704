import { findNodeAtLocation, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { ForcedTlsError } from '../errors/forced-tls-error.js';
import { createPolicy, type Policy } from './policy.js';
import type { PolicyConfig } from './types.js';

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Parses a JSON policy file's text. Rules remember their line, so `explain()` can say
 * "line 12 of policy.json". Syntax errors throw `EPOLICY` with the line and column.
 */
export function parsePolicy(text: string, file?: string): Policy {
  if (typeof text !== 'string')
    throw new ForcedTlsError('EPOLICY', 'Policy text must be a string', { path: 'text', value: text });
  if (file !== undefined && typeof file !== 'string')
    throw new ForcedTlsError('EPOLICY', 'Policy file name must be a string', { path: 'file', value: file });
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const where = file ?? 'policy';
  const firstError = errors[0];
  if (firstError !== undefined || tree === undefined) {
    const offset = firstError?.offset ?? 0;
    const line = lineOf(text, offset);
    const column = offset - text.lastIndexOf('\n', offset - 1);
    const why = firstError ? printParseErrorCode(firstError.error) : 'empty document';
    throw new ForcedTlsError('EPOLICY', `${where}: invalid JSON at line ${line}, column ${column}: ${why}`, {
      path: '(root)',
    });
  }
  const config = JSON.parse(text) as PolicyConfig;
  return createPolicy(config, {
    ...(file === undefined ? {} : { file }),
    locate(path) {
      const segments = path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '');
      const node = findNodeAtLocation(
        tree,
        segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
      );
      const located = node === undefined ? {} : { line: lineOf(text, node.offset) };
      return file === undefined ? located : { file, ...located };
    },
  });
}
