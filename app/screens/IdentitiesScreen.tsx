// Identities: the accounts this recovery phrase opens, each a did:key with its QR code.
import { useState } from 'react';
import { accountLabel } from '../components/AccountName';
import { QrCode } from '../components/QrCode';
import { Button, Card, Copy } from '../components/ui';
import { useApp } from '../store/useApp';

export function IdentitiesScreen() {
  const accounts = useApp((s) => s.accounts);
  const addAccount = useApp((s) => s.addAccount);
  const [open, setOpen] = useState<number | null>(0);
  return (
    <>
      <h1>Identities</h1>
      <p className="muted">
        Every account comes from your one recovery phrase: restoring it brings them all back.
      </p>
      {accounts.map((a) => (
        <Card
          key={a.account}
          title={accountLabel(a.account)}
          actions={
            <Button onClick={() => setOpen(open === a.account ? null : a.account)}>
              {open === a.account ? 'Hide QR code' : 'Show QR code'}
            </Button>
          }
        >
          <p>
            <code className="did wrap">{a.did}</code>
          </p>
          {open === a.account && (
            <QrCode text={a.did} label={`QR code of ${accountLabel(a.account)}`} />
          )}
          <Copy text={a.did} label="Copy address" />
        </Card>
      ))}
      <Button kind="primary" onClick={addAccount}>
        Open another account
      </Button>
    </>
  );
}
