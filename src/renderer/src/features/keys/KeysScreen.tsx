// The Keys and tokens screen: users, what to create, stream keys, signed links and tokens, signing keys.
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Loading } from '../../ui/Loading';
import { CreateForm } from './CreateForm';
import { CredentialsList } from './CredentialsList';
import { SigningKeysPanel } from './SigningKeysPanel';
import { StreamKeysList } from './StreamKeysList';
import { useKeys } from './useKeys';
import { UsersPanel } from './UsersPanel';

export function KeysScreen() {
  const keys = useKeys();
  const snapshot = keys.data;
  return (
    <div className="screen">
      <h1>Keys and tokens</h1>
      {!snapshot ? (
        keys.error ? (
          <ErrorNotice error={keys.error} title="Could not read keys and tokens" onRetry={keys.reload} />
        ) : (
          <Loading what="keys and tokens" />
        )
      ) : (
        <>
          <CreateForm users={snapshot.users} tokenWindowSeconds={snapshot.tokenWindowSeconds} onCreated={keys.reload} />
          <StreamKeysList streamKeys={snapshot.streamKeys} onChanged={keys.reload} />
          <CredentialsList credentials={snapshot.credentials} tokenWindowSeconds={snapshot.tokenWindowSeconds} onChanged={keys.reload} />
          <UsersPanel users={snapshot.users} onChanged={keys.reload} />
          <SigningKeysPanel signingKeys={snapshot.signingKeys} onChanged={keys.reload} />
        </>
      )}
    </div>
  );
}
