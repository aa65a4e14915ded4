export { makeKeyExtractor } from '../../core/keys.js';
