/**
 * The command table. Each command lives in its own module under commands/.
 *
 * @module
 */
import type { Command } from '../io.js';
import { addValidatorsCommand } from './add-validators.js';
import { analyzeCommand } from './analyze.js';
import { combineCommand } from './combine.js';
import { demoCommand } from './demo.js';
import { depositCommand } from './deposit.js';
import { dkgCommand } from './dkg.js';
import { exitCommand } from './exit.js';
import { refreshCommand, repairCommand, reshareCommand } from './lifecycle.js';
import { planCommand } from './plan.js';
import { splitCommand } from './split.js';
import { verifyCommand } from './verify.js';

/** Every `dvkeys` command, in help order. */
export const commands: readonly Command[] = [splitCommand, verifyCommand, combineCommand, dkgCommand, reshareCommand, refreshCommand, repairCommand, addValidatorsCommand, depositCommand, exitCommand, analyzeCommand, planCommand, demoCommand];
