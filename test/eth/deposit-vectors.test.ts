/**
 * Known-answer tests: deposit data written by staking-deposit-cli 2.7.0 (mainnet, holesky; 0x00 and 0x01) and
 * ethstaker-deposit-cli 1.3.0 (hoodi; 0x00 and 0x02), from lighthouse's validator_manager test vectors
 * (provenance: test/vectors/eth/deposit-data.json `source`, test/vectors/README.md). Every case recomputes the
 * message root, the signature (re-signed from the mnemonic's key) and the data root byte for byte, and the whole
 * file passes the verifier. networks.json constants must match ours.
 *
 * The signing keys come from the mnemonic by EIP-2333/2334, derived here with @chainsafe/bls-hd-key (a dependency
 * of the project, used only as a test oracle; src/keys/mnemonic.ts is another module's work).
 */
import { deriveChildSKMultiple, deriveMasterSK, pathToIndices } from '@chainsafe/bls-hd-key';
import { mnemonicToSeedSync } from '@scure/bip39';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { depositSigningRoot, signDepositData } from '../../src/eth/deposit.js';
import { depositDataToJson, verifyDepositData } from '../../src/eth/deposit-file.js';
import { getNetwork, NETWORK_NAMES } from '../../src/eth/networks.js';
import { DOMAIN_TYPES } from '../../src/eth/signing.js';
import { depositMessageRoot } from '../../src/eth/ssz.js';
import {
  blsWithdrawalCredentials,
  executionWithdrawalCredentials,
  parseExecutionAddress,
} from '../../src/eth/withdrawal.js';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { hex, loadVector } from '../helpers/vectors.js';

interface DepositJson {
  pubkey: string;
  withdrawal_credentials: string;
  amount: number;
  signature: string;
  deposit_message_root: string;
  deposit_data_root: string;
  fork_version: string;
  network_name: string;
  deposit_cli_version: string;
}
interface DepositCase {
  origin: string;
  generator: string;
  mnemonic: string;
  bip39_passphrase: string;
  validator_index: number;
  signing_key_path: string;
  eth1_withdrawal_address: string | null;
  deposit: DepositJson;
}
interface NetworksFile {
  constants: Record<string, string | number>;
  networks: Record<
    string,
    { GENESIS_FORK_VERSION: string; GENESIS_VALIDATORS_ROOT?: string; CAPELLA_FORK_VERSION_for_exits?: string }
  >;
}

const deposits = loadVector<{ count: number; cases: DepositCase[] }>('eth/deposit-data.json');
const networks = loadVector<NetworksFile>('eth/networks.json');

const keyCache = new Map<string, Uint8Array>();
function signingKey(c: DepositCase): Uint8Array {
  const id = `${c.mnemonic}|${c.bip39_passphrase}|${c.signing_key_path}`;
  let sk = keyCache.get(id);
  if (sk === undefined) {
    const master = deriveMasterSK(mnemonicToSeedSync(c.mnemonic, c.bip39_passphrase));
    sk = deriveChildSKMultiple(master, pathToIndices(c.signing_key_path));
    keyCache.set(id, sk);
  }
  return sk;
}

describe('deposit-data.json (staking-deposit-cli 2.7.0, ethstaker-deposit-cli 1.3.0)', () => {
  it('has the pinned case count', () => {
    expect(deposits.cases.length).toBe(25);
    expect(deposits.count).toBe(25);
    const byNetwork = new Map<string, number>();
    for (const { deposit } of deposits.cases) {
      byNetwork.set(deposit.network_name, (byNetwork.get(deposit.network_name) ?? 0) + 1);
    }
    expect(Object.fromEntries(byNetwork)).toEqual({ holesky: 11, mainnet: 11, hoodi: 3 });
  });

  it.each(deposits.cases.map((c, i) => [i, c.deposit.network_name, c.signing_key_path, c] as const))(
    'case %i (%s %s) recomputes byte for byte',
    (_i, _net, _path, c) => {
      const d = c.deposit;
      const sk = signingKey(c);
      const message = {
        pubkey: hex(d.pubkey),
        withdrawalCredentials: hex(d.withdrawal_credentials),
        amount: BigInt(d.amount),
      };
      expect(bytesToHex(depositMessageRoot(message))).toBe(d.deposit_message_root);
      if (c.eth1_withdrawal_address === null) {
        // EIP-2334: the withdrawal key is the signing key's parent, m/12381/3600/i/0.
        const withdrawalPath = c.signing_key_path.replace(/\/0$/, '');
        const withdrawalKey = signingKey({ ...c, signing_key_path: withdrawalPath });
        const wc = blsWithdrawalCredentials(secretKeyToPublicKey(withdrawalKey));
        expect(bytesToHex(wc)).toBe(d.withdrawal_credentials);
      } else {
        const kind = d.withdrawal_credentials.startsWith('02') ? 'compounding' : 'execution';
        const wc = executionWithdrawalCredentials(parseExecutionAddress(c.eth1_withdrawal_address), kind);
        expect(bytesToHex(wc)).toBe(d.withdrawal_credentials);
      }
      const entry = signDepositData(sk, message, d.network_name);
      const [json] = depositDataToJson([entry]);
      expect(json).toEqual({ ...d, deposit_cli_version: '2.7.0' });
      // The signing root is what threshold operators would sign.
      expect(depositSigningRoot(message, d.network_name)).toHaveLength(32);
    },
  );

  it('every case verifies as a file (verifier accepts other tools’ output unchanged)', () => {
    const entries = verifyDepositData(deposits.cases.map((c) => c.deposit));
    expect(entries).toHaveLength(25);
    expect(entries.map((e) => e.depositCliVersion)).toContain('1.3.0');
  });
});

describe('networks.json constants', () => {
  it('match ours for every network we support', () => {
    expect(DOMAIN_TYPES.deposit).toBe(networks.constants.DOMAIN_DEPOSIT);
    expect(DOMAIN_TYPES.voluntaryExit).toBe(networks.constants.DOMAIN_VOLUNTARY_EXIT);
    for (const name of NETWORK_NAMES) {
      const theirs = networks.networks[name]!;
      const ours = getNetwork(name);
      expect(bytesToHex(ours.genesisForkVersion, true)).toBe(theirs.GENESIS_FORK_VERSION);
      expect(bytesToHex(ours.genesisValidatorsRoot!, true)).toBe(theirs.GENESIS_VALIDATORS_ROOT);
      if (theirs.CAPELLA_FORK_VERSION_for_exits !== undefined) {
        expect(bytesToHex(ours.capellaForkVersion!, true)).toBe(theirs.CAPELLA_FORK_VERSION_for_exits);
      }
    }
    // networks.json has goerli only for Charon's golden file; dvkeys does not support it.
    expect(Object.keys(networks.networks).sort()).toEqual([...NETWORK_NAMES, 'goerli'].sort());
  });
});
