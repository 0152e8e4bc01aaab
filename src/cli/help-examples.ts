/**
 * One or two example command lines per command and step, shown at the end of its help (cli/help.ts). Keyed
 * `<command>` or `<command> <step>`; test/cli/help.test.ts parses every example against the options the command
 * really accepts, so an example cannot drift from the code. analyze and plan carry theirs in their usage.
 *
 * @module
 */

/** Examples by `<command>` or `<command> <step>`. */
export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  split: [
    'dvkeys split ./validator_keys --operators eridian:3,spacesider:3,cloud:3 --out ./cluster',
    'dvkeys split ./validator_keys --operators 4 --threshold 3 --network hoodi --withdrawal-address 0x4675c7e5baafbffbca748158becba61ef3b0a263 --out ./cluster',
  ],
  verify: ['dvkeys verify ./cluster', 'dvkeys verify ./cloud-2 --fingerprint 76b2e80ccdbcf77d6c5d3733cace4fc2c416909f3b5c05c51e1314eb30c5b636'],
  combine: ['dvkeys combine --in cluster/eridian-1 --in cluster/spacesider-1 --in cluster/cloud-1 --out ./recovered'],
  demo: ['dvkeys demo --keep'],
  'dkg keygen': ['dvkeys dkg keygen --out host-key.json --password-file host-key.pw'],
  'dkg init': ['dvkeys dkg init --operator alice=0x9f1c… --operator bob=0x77aa… --operator carol=0x31d0… --operator dave=0xc2e4… --network hoodi --withdrawal-address 0x4675c7e5baafbffbca748158becba61ef3b0a263 --num-validators 2 --out draft.json'],
  'dkg enroll': ['dvkeys dkg enroll --draft draft.json --host-key host-key.json --out enroll-alice.json'],
  'dkg define': ['dvkeys dkg define --draft draft.json enroll-alice.json enroll-bob.json enroll-carol.json enroll-dave.json --out definition.json'],
  'dkg round1': ['dvkeys dkg round1 --definition definition.json --host-key host-key.json --ceremony-id 3a7f… --out r1-alice.json --state-out state1.json'],
  'dkg collect': [
    'dvkeys dkg collect --definition definition.json r1-alice.json r1-bob.json r1-carol.json r1-dave.json --out collected.json',
    'dvkeys dkg collect --definition definition.json --collected collected.json ack-alice.json ack-bob.json ack-carol.json ack-dave.json --out final.json',
  ],
  'dkg round2': ['dvkeys dkg round2 --host-key host-key.json --state state1.json --collected collected.json --out ack-alice.json --state-out state2.json'],
  'dkg finalize': ['dvkeys dkg finalize --host-key host-key.json --state state2.json --collected collected.json --final final.json --out ./alice'],
  'dkg ready': ['dvkeys dkg ready --host-key host-key.json --folder ./alice --out ready-alice.json'],
  'dkg deposit-data': ['dvkeys dkg deposit-data --folder ./alice --certificate round3/deposit-certificate.json'],
  'dkg verdict': ['dvkeys dkg verdict --definition definition.json --complaint complaint-alice.json --collected collected.json final.json.abort.json'],
  'dkg serve': ['dvkeys dkg serve --definition definition.json --data ./relay --listen 127.0.0.1:8080'],
  'dkg join': ['dvkeys dkg join --coordinator https://dkg.example.org --host-key host-key.json --password-file host-key.pw --ceremony-id 3a7f… --out ./alice --step-timeout 1800'],
  'dkg push': ['dvkeys dkg push --coordinator https://dkg.example.org r1-alice.json'],
  'dkg pull': ['dvkeys dkg pull --coordinator https://dkg.example.org --definition definition.json --kind round1 --out ./round1'],
  'dkg status': ['dvkeys dkg status --coordinator https://dkg.example.org --definition definition.json'],
  'dkg recover': ['dvkeys dkg recover --host-key host-key.json --recovery alice/dkg-recovery.json --out ./alice-restored'],
  'dkg audit': ['dvkeys dkg audit alice/dkg-recovery.json'],
  'dkg verify-evidence': ['dvkeys dkg verify-evidence --definition definition.json final.json.abort.json'],
  'reshare init': ['dvkeys reshare init --old cluster/ceremony.json --threshold 3 --dealer 1=0x9f1c… --dealer 2=0x77aa… --dealer 3=0x31d0… --new-operator erin=0x5b2e… --new-operator frank=0xe0a9… --new-operator grace=0x18cc… --new-operator heidi=0x4d71… --new-threshold 3 --out plan.json'],
  'reshare enroll': ['dvkeys reshare enroll --plan plan.json --plan-id 6c1d… --host-key host-key.json --out enroll-erin.json'],
  'reshare deal': ['dvkeys reshare deal --plan plan.json --plan-id 6c1d… --host-key host-key.json --folder cluster/operator-1 --new-operator-key 0x5b2e… --new-operator-key 0xe0a9… --new-operator-key 0x18cc… --new-operator-key 0x4d71… --new-threshold 3 --out deal-1.json enroll-*.json'],
  'reshare finalize': ['dvkeys reshare finalize --plan plan.json --host-key host-key.json --out ./erin enroll-*.json deal-1.json deal-2.json deal-3.json'],
  'reshare handover': ['dvkeys reshare handover --plan plan.json enroll-*.json deal-*.json erin.handover.json frank.handover.json grace.handover.json heidi.handover.json'],
  'reshare judge': ['dvkeys reshare judge --plan plan.json enroll-*.json deal-*.json erin.complaint.json'],
  'reshare stop': ['dvkeys reshare stop --plan plan.json --plan-id 6c1d… --folder cluster/operator-1 --epoch 400000 --slashing-protection exported-history.json --out stop-1.json'],
  'reshare start': ['dvkeys reshare start --plan plan.json --folder ./erin --out slashing-protection.json stop-1.json stop-2.json'],
  'refresh init': ['dvkeys refresh init --old cluster/ceremony.json --threshold 3 --participant 1=0x9f1c… --participant 2=0x77aa… --participant 3=0x31d0… --participant 4=0xc2e4… --out plan.json'],
  'refresh enroll': ['dvkeys refresh enroll --plan plan.json --plan-id 6c1d… --host-key host-key.json --out enroll-1.json'],
  'refresh deal': ['dvkeys refresh deal --plan plan.json --plan-id 6c1d… --host-key host-key.json --out deal-1.json enroll-*.json'],
  'refresh finalize': ['dvkeys refresh finalize --plan plan.json --host-key host-key.json --folder cluster/operator-1 --out ./operator-1-new enroll-*.json deal-*.json'],
  'refresh handover': ['dvkeys refresh handover --plan plan.json enroll-*.json deal-*.json handover-1.json handover-2.json handover-3.json handover-4.json'],
  'refresh judge': ['dvkeys refresh judge --plan plan.json enroll-*.json deal-*.json operator-1-new.complaint.json'],
  'refresh stop': ['dvkeys refresh stop --plan plan.json --plan-id 6c1d… --folder cluster/operator-1 --epoch 400000 --slashing-protection exported-history.json --out stop-1.json'],
  'refresh start': ['dvkeys refresh start --plan plan.json --folder ./operator-1-new --out slashing-protection.json stop-1.json stop-2.json'],
  'repair init': ['dvkeys repair init --old cluster/ceremony.json --threshold 3 --helper 1=0x9f1c… --helper 2=0x77aa… --helper 4=0xc2e4… --recipient 3=0x31d0… --out plan.json'],
  'repair enroll': ['dvkeys repair enroll --plan plan.json --plan-id 6c1d… --host-key host-key.json --out enroll-1.json'],
  'repair contribute': ['dvkeys repair contribute --plan plan.json --plan-id 6c1d… --host-key host-key.json --folder cluster/operator-1 --recipient-key 0x31d0… --out contribution-1.json enroll-*.json'],
  'repair sum': ['dvkeys repair sum --plan plan.json --host-key host-key.json --recipient-key 0x31d0… --out sum-1.json enroll-*.json contribution-*.json'],
  'repair complete': ['dvkeys repair complete --plan plan.json --host-key host-key.json --out ./operator-3 enroll-*.json contribution-*.json sum-*.json'],
  'add-validators split': ['dvkeys add-validators split ./new_validator_keys --to cluster/ceremony.json --network hoodi --withdrawal-address 0x4675c7e5baafbffbca748158becba61ef3b0a263 --out ./addition'],
  'add-validators merge': ['dvkeys add-validators merge --folder cluster/operator-1 --add addition/operator-1 --out ./operator-1-new'],
  'deposit verify': ['dvkeys deposit verify cluster/deposit-data.json --network hoodi'],
  'deposit sign': ['dvkeys deposit sign --operator-dir cluster/operator-1 --network hoodi --withdrawal-address 0x4675c7e5baafbffbca748158becba61ef3b0a263 --out deposit-partial-1.json'],
  'deposit combine': ['dvkeys deposit combine --manifest cluster/ceremony.json deposit-partial-1.json deposit-partial-2.json deposit-partial-3.json --out deposit-data.json'],
  'exit sign': ['dvkeys exit sign --operator-dir cluster/operator-1 --network mainnet --validator-index 1234567 --epoch 194048 --validators-file validators.json --out exit-partial-1.json'],
  'exit combine': ['dvkeys exit combine --manifest cluster/ceremony.json exit-partial-1.json exit-partial-2.json exit-partial-3.json --out signed-exit.json'],
};
