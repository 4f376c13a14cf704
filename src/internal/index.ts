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
export type { FieldKind, ShapeContext } from './shape.js';
export { isArray, isRecord, readShape } from './shape.js';
