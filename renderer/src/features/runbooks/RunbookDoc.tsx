import type { ReactNode } from 'react';
import type { MdNode } from '@shared/runbooks/model';
import { ExternalLink } from './ExternalLink';

// A runbook body from its element tree (built in main from the markdown, with raw HTML turned into text and
// only http(s)/mailto links kept). Every node becomes a React element or text: nothing is parsed as HTML here.

function render(nodes: readonly MdNode[], keyPrefix: string): ReactNode[] {
  return nodes.map((n, i) => {
    const key = `${keyPrefix}.${i}`;
    if (n.t === 'text') return n.v;
    const kids = render(n.children, key);
    switch (n.tag) {
      case 'a':
        return n.href ? (
          <ExternalLink key={key} href={n.href}>
            {kids}
          </ExternalLink>
        ) : (
          <span key={key}>{kids}</span>
        );
      case 'ol':
        return (
          <ol key={key} start={n.start}>
            {kids}
          </ol>
        );
      case 'code':
        return (
          <code key={key} className={n.lang ? `lang-${n.lang.replace(/[^\w-]/g, '')}` : undefined}>
            {kids}
          </code>
        );
      case 'th':
      case 'td': {
        const Cell = n.tag;
        return (
          <Cell key={key} className={n.align ? `align-${n.align}` : undefined}>
            {kids}
          </Cell>
        );
      }
      case 'hr':
        return <hr key={key} />;
      case 'br':
        return <br key={key} />;
      default: {
        const Tag = n.tag;
        return <Tag key={key}>{kids}</Tag>;
      }
    }
  });
}

export function RunbookDoc(props: { body: readonly MdNode[] }): ReactNode {
  return (
    <div className="runbook-doc" data-testid="runbook-body">
      {render(props.body, 'n')}
    </div>
  );
}
