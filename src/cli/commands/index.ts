/**
 * The command table. Each command lives in its own module under commands/.
 *
 * @module
 */
import type { Command } from '../io.js';
import { analyzeCommand } from './analyze.js';
import { planCommand } from './plan.js';

/** Every `dvkeys` command, in help order. */
export const commands: readonly Command[] = [analyzeCommand, planCommand];
