/**
 * What a cheating old dealer would run (test helper): a validly host-signed, sealed reshare dealing whose sub-share
 * of validator 0 for one new member is off by one bit, the public commitments left honest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan } from '../../src/ceremony/lifecycle-plan.js';
import { planSession } from '../../src/cli/commands/lifecycle-files.js';
import { decryptKeystore } from '../../src/keys/keystore.js';
import { parseKeystore } from '../../src/keys/keystore-format.js';
import { parseEnrollment, sealedToJson } from '../../src/lifecycle/messages.js';
import { dealReshare } from '../../src/lifecycle/reshare.js';
import type { ReshareDefinition } from '../../src/lifecycle/reshare-definition.js';
import { sealDealing } from '../../src/lifecycle/wire.js';
import { SecretBytes, toShareIndex } from '../../src/types.js';

export async function forgeBadSubShare(planPath: string, hostKeyPath: string, oldFolder: string, enrollmentPaths: readonly string[], badRecipient: number, dealerId = 2): Promise<string> {
  const plan = parsePlan(JSON.parse(readFileSync(planPath, 'utf8')));
  const enrollments = enrollmentPaths.map((p) => parseEnrollment(JSON.parse(readFileSync(p, 'utf8'))).enrollment);
  const session = planSession(plan, plan.senders, plan.recipients, enrollments);
  const host = Uint8Array.from(Buffer.from((JSON.parse(readFileSync(hostKeyPath, 'utf8')) as { secretKey: string }).secretKey.slice(2), 'hex'));
  const shares = [];
  for (let v = 0; v < plan.old.validators.length; v++) {
    const ks = parseKeystore(readFileSync(join(oldFolder, `keystore-${v}.json`), 'utf8'));
    shares.push({ id: toShareIndex(dealerId), secret: SecretBytes.copyOf(await decryptKeystore(ks, readFileSync(join(oldFolder, `keystore-${v}.txt`), 'utf8'))) });
  }
  const dealt = dealReshare(plan.definition as ReshareDefinition, dealerId, shares);
  const bundles = session.recipients.map((r) => dealt.bundles.find((b) => b.recipient === r.id)!.secrets.map((s, v) => {
    const c = SecretBytes.copyOf(s);
    if (v === 0 && r.id === BigInt(badRecipient)) c[31]! ^= 1;
    return c;
  }));
  const sealed = sealDealing(session, dealerId, host, dealt.dealing.commitments, bundles);
  return `${JSON.stringify(sealedToJson(plan.id, 'deal', sealed), null, 2)}\n`;
}
