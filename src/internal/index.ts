// Reading untrusted option objects lives on the ground floor (src/errors) so the pure policy can use it.
export type { FieldKind, ShapeContext } from '../errors/shape.js';
export { isArray, isRecord, readShape } from '../errors/shape.js';
export { errorCode } from './error-code.js';
export {
  caList,
  ehloName,
  isEhloName,
  milliseconds,
  optionError,
  portNumber,
  positiveInteger,
} from './options.js';
