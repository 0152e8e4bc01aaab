/**
 * The command table. Each command lives in its own module under commands/.
 *
 * @module
 */
import type { Command } from '../io.js';

/** Every `dvkeys` command, in help order. */
export const commands: readonly Command[] = [];
