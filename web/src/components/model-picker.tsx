/** A combobox to pick a model by name (ARIA 1.2 combobox pattern: arrows, Enter, Escape). */
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';

const MAX_OPTIONS = 12;

export function ModelPicker({ names, exclude, onPick, label }: { names: readonly string[]; exclude: readonly string[]; onPick(name: string): void; label: string }) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const options = useMemo(() => {
    const needle = text.trim().toLowerCase();
    if (needle === '') return [];
    const excluded = new Set(exclude);
    const starts: string[] = [];
    const contains: string[] = [];
    for (const name of names) {
      if (excluded.has(name)) continue;
      const lower = name.toLowerCase();
      const at = lower.indexOf(needle);
      if (at === -1) continue;
      const short = lower.slice(lower.indexOf('/') + 1);
      if (at === 0 || short.startsWith(needle)) starts.push(name);
      else contains.push(name);
      if (starts.length >= MAX_OPTIONS) break;
    }
    return [...starts, ...contains].slice(0, MAX_OPTIONS);
  }, [names, exclude, text]);

  const pick = (name: string) => {
    onPick(name);
    setText('');
    setOpen(false);
    setActive(0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(options.length - 1, i + 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (event.key === 'Enter') {
      const option = options[active];
      if (open && option) {
        event.preventDefault();
        pick(option);
      }
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  };

  const listId = `${id}-list`;
  const expanded = open && options.length > 0;
  return (
    <div className="combobox">
      <label htmlFor={`${id}-input`} className="field-label">
        {label}
      </label>
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded ? `${id}-opt-${active}` : undefined}
        value={text}
        placeholder={t('compare.pickerPlaceholder')}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        data-testid="model-picker"
      />
      {expanded && (
        <ul id={listId} role="listbox" className="combobox-list" aria-label={label}>
          {options.map((name, i) => (
            <li
              key={name}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(name);
              }}
              onMouseEnter={() => setActive(i)}
            >
              {name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
