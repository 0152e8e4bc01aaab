/**
 * The layout adapters over the {@link Cluster} model (design section 8), one per {@link Layout}.
 * @module
 */
import type { Layout } from '../layout-options.js';
import type { LayoutAdapter } from '../cluster.js';
import { charonAdapter } from './charon.js';
import { dvkeysAdapter } from './dvkeys.js';
import { ssvAdapter } from './ssv.js';

/** The adapter of every layout. */
export const LAYOUT_ADAPTERS: Readonly<Record<Layout, LayoutAdapter>> = { dvkeys: dvkeysAdapter, charon: charonAdapter, ssv: ssvAdapter };

export { charonAdapter, clusterToLock, lockToCluster, lockToClusterLenient } from './charon.js';
export { dvkeysAdapter, manifestToCluster } from './dvkeys.js';
export { clusterToKeyshares, keysharesToCluster, ssvAdapter, ssvOperatorName } from './ssv.js';
