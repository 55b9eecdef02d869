import type { ReactNode } from 'react';
import { VIEWS } from '../views';
import type { ViewDef } from '../views';
import { hrefOf, useRoute } from '../state/route';

function NavItem(props: { view: ViewDef; current: boolean }): ReactNode {
  const { view } = props;
  const Icon = view.icon;
  const hint = view.shortcut ? `Ctrl/⌘+${view.shortcut}` : undefined;
  return (
    <li>
      <a
        href={hrefOf(view.id)}
        className={`nav-item${props.current ? ' current' : ''}`}
        aria-current={props.current ? 'page' : undefined}
        data-testid={`nav-${view.id}`}
        title={hint ? `${view.label} (${hint})` : view.label}
      >
        <Icon className="icon nav-icon" />
        <span className="nav-label">{view.label}</span>
      </a>
    </li>
  );
}

export function NavBar(): ReactNode {
  const route = useRoute();
  return (
    <nav className="nav" aria-label="Views" data-testid="nav">
      <ul>
        {VIEWS.filter((v) => v.nav === 'main').map((v) => (
          <NavItem key={v.id} view={v} current={route.view === v.id} />
        ))}
      </ul>
      <ul className="nav-secondary">
        {VIEWS.filter((v) => v.nav === 'secondary').map((v) => (
          <NavItem key={v.id} view={v} current={route.view === v.id} />
        ))}
      </ul>
    </nav>
  );
}
