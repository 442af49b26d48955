// An amount with its asset, formatted by the asset's decimals: "12.50 COIN".
import type { Asset } from '../../src/chain/stateEntries';
import { formatAmount } from '../format/amount';

export function Amount(props: {
  amount: bigint;
  asset: string;
  assets: Asset[];
  sign?: '+' | '−' | undefined;
}) {
  const decimals = props.assets.find((a) => a.symbol === props.asset)?.decimals ?? 0;
  return (
    <span className="amount">
      {props.sign}
      {formatAmount(props.amount, decimals)} <span className="asset">{props.asset}</span>
    </span>
  );
}
