// Vertical tab navigation (WAI-ARIA tabs): arrow keys, Home and End move between tabs; a panel stays mounted once visited.
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface TabDefinition {
  id: string;
  label: string;
  render: () => ReactNode;
}

const tabId = (id: string) => `tab-${id}`;
const panelId = (id: string) => `panel-${id}`;

interface TabsProps {
  label: string;
  tabs: TabDefinition[];
  selected: string;
  onSelect: (id: string) => void;
  /** Rendered above the tab list, in the sidebar (the app's name). */
  header?: ReactNode;
  /** Rendered above the panels (banners). */
  banner?: ReactNode;
}

export function Tabs({ label, tabs, selected, onSelect, header, banner }: TabsProps) {
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  // Panels mount on first visit and then stay mounted, so a capture or a live graph survives switching tabs.
  const [visited, setVisited] = useState(() => new Set([selected]));
  if (!visited.has(selected)) setVisited(new Set(visited).add(selected));

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.id === selected);
    const target = {
      ArrowDown: (index + 1) % tabs.length,
      ArrowRight: (index + 1) % tabs.length,
      ArrowUp: (index - 1 + tabs.length) % tabs.length,
      ArrowLeft: (index - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = tabs[target];
    onSelect(next.id);
    buttons.current.get(next.id)?.focus();
  };

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        {header}
        <div role="tablist" aria-label={label} aria-orientation="vertical" className="tablist" onKeyDown={move}>
          {tabs.map((tab) => (
            <button
              key={tab.id}
              ref={(element) => {
                if (element) buttons.current.set(tab.id, element);
                else buttons.current.delete(tab.id);
              }}
              type="button"
              role="tab"
              id={tabId(tab.id)}
              aria-selected={tab.id === selected}
              aria-controls={panelId(tab.id)}
              tabIndex={tab.id === selected ? 0 : -1}
              className="tab"
              onClick={() => onSelect(tab.id)}
            >
              {tab.label}
            </button>
          ))}
        </div>
      </nav>
      <main className="content">
        {banner}
        {tabs.map((tab) => (
          <div key={tab.id} role="tabpanel" id={panelId(tab.id)} aria-labelledby={tabId(tab.id)} hidden={tab.id !== selected} className="tabpanel">
            {visited.has(tab.id) && tab.render()}
          </div>
        ))}
      </main>
    </div>
  );
}
