import type { ReactNode, SVGProps } from 'react';

// Inline SVG icons: no icon font (a font request and a style-src exception), and they take currentColor.

export type IconProps = Omit<SVGProps<SVGSVGElement>, 'children'> & { title?: string };
export type Icon = (props: IconProps) => ReactNode;

function svg(paths: ReactNode): Icon {
  return function IconSvg({ title, ...props }: IconProps) {
    return (
      <svg
        viewBox="0 0 24 24"
        width="1em"
        height="1em"
        fill="none"
        stroke="currentColor"
        strokeWidth={2}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden={title ? undefined : true}
        role={title ? 'img' : undefined}
        focusable="false"
        className="icon"
        {...props}
      >
        {title ? <title>{title}</title> : null}
        {paths}
      </svg>
    );
  };
}

export const GaugeIcon = svg(
  <>
    <path d="M4 18a8 8 0 1 1 16 0" />
    <path d="M12 18l4-6" />
  </>,
);
export const SirenIcon = svg(
  <>
    <path d="M7 18v-6a5 5 0 0 1 10 0v6" />
    <path d="M5 21h14M12 3v2M4.2 7.2l1.4 1.4M19.8 7.2l-1.4 1.4" />
  </>,
);
export const BookIcon = svg(
  <>
    <path d="M4 19.5A2.5 2.5 0 0 1 6.5 17H20V3H6.5A2.5 2.5 0 0 0 4 5.5z" />
    <path d="M4 19.5A2.5 2.5 0 0 0 6.5 22H20v-5" />
  </>,
);
export const PlayListIcon = svg(
  <>
    <path d="M3 6h12M3 12h8M3 18h8" />
    <path d="M15 12l6 3.5-6 3.5z" />
  </>,
);
export const ActivityIcon = svg(<path d="M3 12h4l3 8 4-16 3 8h4" />);
export const GearIcon = svg(
  <>
    <circle cx="12" cy="12" r="3" />
    <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
  </>,
);
export const MonitorIcon = svg(
  <>
    <rect x="2" y="3" width="20" height="14" rx="2" />
    <path d="M8 21h8M12 17v4" />
  </>,
);
/** Status shapes differ as well as colours, so state reads without colour vision. */
export const OkIcon = svg(
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="M8 12.5l2.5 2.5L16 9.5" />
  </>,
);
export const WarnIcon = svg(
  <>
    <path d="M12 3l10 18H2z" />
    <path d="M12 10v5M12 18h.01" />
  </>,
);
export const ErrorIcon = svg(
  <>
    <path d="M7.9 2h8.2L22 7.9v8.2L16.1 22H7.9L2 16.1V7.9z" />
    <path d="M9 9l6 6M15 9l-6 6" />
  </>,
);
export const UnknownIcon = svg(
  <>
    <circle cx="12" cy="12" r="9" strokeDasharray="3 3" />
    <path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6M12 17h.01" />
  </>,
);
export const ClockIcon = svg(
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 7v5l3 2" />
  </>,
);
export const KeyIcon = svg(
  <>
    <circle cx="8" cy="15" r="4" />
    <path d="M10.8 12.2L20 3M17 6l3 3M15 8l2 2" />
  </>,
);
export const PlugIcon = svg(<path d="M9 2v6M15 2v6M6 8h12v3a6 6 0 0 1-12 0zM12 17v5" />);
export const InfoIcon = svg(
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 16v-5M12 8h.01" />
  </>,
);
export const SpinnerIcon = svg(<path d="M12 3a9 9 0 1 0 9 9" />);
export const CloseIcon = svg(<path d="M6 6l12 12M18 6L6 18" />);
export const PlusIcon = svg(<path d="M12 5v14M5 12h14" />);
export const LockIcon = svg(
  <>
    <rect x="4" y="11" width="16" height="10" rx="2" />
    <path d="M8 11V7a4 4 0 0 1 8 0v4" />
  </>,
);
export const BellIcon = svg(
  <>
    <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z" />
    <path d="M10 21h4" />
  </>,
);
