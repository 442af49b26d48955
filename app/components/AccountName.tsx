// How an account is named on screen: "Account 1" with its shortened did:key.
import { shortId } from '../format/time';

export const accountLabel = (index: number): string => `Account ${index + 1}`;

export function Did(props: { did: string }) {
  return (
    <code className="did" title={props.did}>
      {shortId(props.did)}
    </code>
  );
}
