import MarkdownIt from 'markdown-it';
import type { MdNode, MdTag } from '@shared/runbooks/model';
import { MD_TAGS } from '@shared/runbooks/model';

// Runbook markdown to a tree of allowed elements. markdown-it with `html: false` turns raw HTML into text; the
// tree keeps only the tags in MD_TAGS and only http(s)/mailto links, so the renderer never needs innerHTML.

type Token = ReturnType<MarkdownIt['parse']>[number];
type ElNode = Extract<MdNode, { t: 'el' }>;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;
const ALLOWED = new Set<string>(MD_TAGS);

function isTag(tag: string): tag is MdTag {
  return ALLOWED.has(tag);
}

function el(tag: MdTag, children: MdNode[] = []): ElNode {
  return { t: 'el', tag, children };
}

function attr(token: Token, name: string): string | null {
  return token.attrGet(name);
}

function convert(tokens: Token[]): MdNode[] {
  const root: ElNode = el('p');
  const stack: (ElNode | null)[] = [root];
  const top = (): ElNode => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const n = stack[i];
      if (n) return n;
    }
    return root;
  };
  const push = (node: MdNode): void => {
    top().children.push(node);
  };
  for (const token of tokens) {
    if (token.type === 'inline') {
      for (const n of convert(token.children ?? [])) push(n);
      continue;
    }
    if (token.nesting === 1) {
      // Paragraphs inside tight lists are hidden: their text goes straight into the list item.
      if (token.hidden || !isTag(token.tag)) {
        stack.push(null);
        continue;
      }
      const node = el(token.tag);
      if (token.tag === 'a') {
        const href = attr(token, 'href') ?? '';
        if (SAFE_LINK.test(href)) node.href = href;
      }
      if (token.tag === 'ol') {
        const start = Number(attr(token, 'start') ?? '1');
        if (Number.isInteger(start) && start !== 1) node.start = start;
      }
      if (token.tag === 'th' || token.tag === 'td') {
        const align = /text-align:(left|center|right)/.exec(attr(token, 'style') ?? '')?.[1];
        if (align === 'left' || align === 'center' || align === 'right') node.align = align;
      }
      push(node);
      stack.push(node);
      continue;
    }
    if (token.nesting === -1) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    switch (token.type) {
      case 'text':
        if (token.content) push({ t: 'text', v: token.content });
        break;
      case 'softbreak':
        push({ t: 'text', v: '\n' });
        break;
      case 'hardbreak':
        push(el('br'));
        break;
      case 'code_inline':
        push(el('code', [{ t: 'text', v: token.content }]));
        break;
      case 'code_block':
      case 'fence': {
        const code = el('code', [{ t: 'text', v: token.content }]);
        const lang = token.info.trim().split(/\s+/)[0];
        if (lang) code.lang = lang.slice(0, 40);
        push(el('pre', [code]));
        break;
      }
      case 'hr':
        push(el('hr'));
        break;
      case 'image':
        // No remote images in a runbook view: the alt text stands in.
        push({ t: 'text', v: token.content ? `[image: ${token.content}]` : '[image]' });
        break;
      default:
        if (token.content) push({ t: 'text', v: token.content });
    }
  }
  return root.children;
}

export function markdownTree(text: string): MdNode[] {
  return convert(md.parse(text, {}));
}

/** The text of a tree, for search. */
export function plainText(nodes: MdNode[]): string {
  let out = '';
  const walk = (ns: MdNode[]): void => {
    for (const n of ns) {
      if (n.t === 'text') out += n.v;
      else {
        walk(n.children);
        if (['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'tr', 'br', 'blockquote'].includes(n.tag)) out += '\n';
        else if (n.tag === 'td' || n.tag === 'th') out += ' ';
      }
    }
  };
  walk(nodes);
  return out.replace(/\n{3,}/g, '\n\n').trim();
}
