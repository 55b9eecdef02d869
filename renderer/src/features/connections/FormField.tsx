import type { ReactNode } from 'react';

export interface FieldA11y {
  id: string;
  name: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
  'data-testid': string;
}

/** A labelled input with its hint and its error next to it; the error is announced and tied to the input. */
export function FormField(props: {
  name: string;
  label: string;
  error: string | undefined;
  hint?: ReactNode;
  required?: boolean;
  children: (a11y: FieldA11y) => ReactNode;
}): ReactNode {
  const id = `conn-${props.name.replace(/[^a-z0-9]+/gi, '-')}`;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {props.children({
        id,
        name: props.name,
        'aria-invalid': !!props.error,
        'aria-describedby': describedBy,
        'data-testid': `conn-field-${props.name}`,
      })}
      {props.error ? (
        <p className="field-error" id={errorId} data-testid={`conn-error-${props.name}`}>
          {props.error}
        </p>
      ) : null}
      {props.hint ? (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}
