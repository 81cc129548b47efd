/** A button with a panel: Escape and clicks outside close it; focus returns to the button. */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export function Popover({
  label,
  buttonContent,
  children,
  buttonClassName = 'button',
  align = 'end',
  testId,
}: {
  label: string;
  buttonContent: ReactNode;
  children: ReactNode;
  buttonClassName?: string;
  align?: 'start' | 'end';
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    panel.current?.querySelector<HTMLElement>('input, button, select, [tabindex="0"]')?.focus();
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="popover" ref={root}>
      <button
        ref={button}
        type="button"
        className={buttonClassName}
        aria-expanded={open}
        aria-controls={id}
        aria-label={label}
        title={label}
        onClick={() => setOpen((value) => !value)}
        data-testid={testId}
      >
        {buttonContent}
      </button>
      {open && (
        <div id={id} ref={panel} className={`popover-panel popover-${align}`} role="group" aria-label={label}>
          {children}
        </div>
      )}
    </div>
  );
}
