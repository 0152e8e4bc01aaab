/**
 * The strict JSON helpers moved to src/json.ts (shared by every format); this module re-exports them until every
 * importer uses the new path.
 *
 * @module
 */
export * from '../json.js';
