import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';
import { ErrorPanel } from '../components/ErrorPanel';

interface State {
  error: Error | null;
}

/**
 * A view that throws (or whose chunk fails to load, e.g. after `toc serve` was restarted with a new build)
 * must not take the shell, the banners and the status bar down with it.
 */
export class ViewErrorBoundary extends Component<{ children: ReactNode; viewLabel: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`The ${this.props.viewLabel} view failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <ErrorPanel
        title={`The ${this.props.viewLabel} view stopped working`}
        error={{ code: 'internal', message: this.state.error.message }}
        onRetry={() => this.setState({ error: null })}
        testId="view-crashed"
      />
    );
  }
}
