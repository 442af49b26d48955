// What chain screens show before the wallet follows any chain.
import { Button, Card } from '../components/ui';
import { useApp } from '../store/useApp';

export function NoChain() {
  const go = useApp((s) => s.go);
  return (
    <Card title="No chain yet">
      <p>
        A chain is a small ledger your household, cooperative or registry runs together. Found one,
        or join one with an invite from someone who runs it.
      </p>
      <Button kind="primary" onClick={() => go('chains')}>
        Found or join a chain
      </Button>
    </Card>
  );
}
