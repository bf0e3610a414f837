// The app shell: navigation between the four screens, the recovered-settings banner and the status bar.
import { useState } from 'react';
import { KeysScreen } from './features/keys/KeysScreen';
import { PreviewScreen } from './features/preview/PreviewScreen';
import { ServerScreen } from './features/server/ServerScreen';
import { ServerSummary } from './features/server/ServerSummary';
import { StudioScreen } from './features/studio/StudioScreen';
import { RecoveredSettingsBanner } from './ui/shell/RecoveredSettingsBanner';
import { StatusBar } from './ui/shell/StatusBar';
import { Tabs, type TabDefinition } from './ui/Tabs';
import { useRequest } from './ui/useRequest';

const SCREENS: TabDefinition[] = [
  { id: 'studio', label: 'Studio', render: () => <StudioScreen /> },
  { id: 'preview', label: 'Preview', render: () => <PreviewScreen /> },
  { id: 'server', label: 'Server', render: () => <ServerScreen /> },
  { id: 'keys', label: 'Keys & tokens', render: () => <KeysScreen /> },
];

export function App() {
  const [screen, setScreen] = useState('studio');
  const info = useRequest('app.info').data;
  return (
    <div className="app">
      <Tabs
        label="Screens"
        tabs={SCREENS}
        selected={screen}
        onSelect={setScreen}
        header={<p className="brand">Airlock Studio</p>}
        banner={<RecoveredSettingsBanner backupPath={info?.settingsRecoveredFrom ?? null} />}
      />
      <StatusBar info={info} server={<ServerSummary />} />
    </div>
  );
}
