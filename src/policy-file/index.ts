export { loadPolicyFile } from './load-policy-file.js';
