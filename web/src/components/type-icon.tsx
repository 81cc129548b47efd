/**
 * The model type's mark, drawn (the original used emoji: 🟢 🟩 🔶 💬 🤝 🌸 ❓, which not every
 * system has a font for): same colours and shapes, always rendered.
 */
import { cleanModelType } from '../api/model-type.js';
import type { ModelType } from '../api/types.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';

export const TYPE_LABEL_KEY: Record<ModelType, MessageKey> = {
  pretrained: 'type.pretrained',
  'continuously pretrained': 'type.continuouslyPretrained',
  'fine-tuned': 'type.fineTuned',
  chat: 'type.chat',
  merge: 'type.merge',
  multimodal: 'type.multimodal',
  other: 'type.other',
};


const SHAPES: Record<ModelType, React.ReactNode> = {
  pretrained: <circle cx="8" cy="8" r="6" fill="#2fb344" />,
  'continuously pretrained': <rect x="2" y="2" width="12" height="12" rx="2.5" fill="#2fb344" />,
  'fine-tuned': <path d="M8 1.5 14.5 8 8 14.5 1.5 8Z" fill="#f08c00" />,
  chat: <path d="M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v6A1.5 1.5 0 0 1 12.5 11H7l-3.5 3v-3A1.5 1.5 0 0 1 2 9.5Z" fill="#4c8dff" />,
  merge: (
    <>
      <circle cx="5.5" cy="8" r="4.2" fill="#9b59d0" />
      <circle cx="10.5" cy="8" r="4.2" fill="#c18be8" fillOpacity="0.9" />
    </>
  ),
  multimodal: (
    <>
      {[0, 72, 144, 216, 288].map((angle) => (
        <ellipse key={angle} cx="8" cy="4.6" rx="2.4" ry="3.4" fill="#ec6fa8" transform={`rotate(${angle} 8 8)`} />
      ))}
      <circle cx="8" cy="8" r="1.8" fill="#ffd166" />
    </>
  ),
  other: (
    <>
      <circle cx="8" cy="8" r="6.5" fill="#8c95a6" />
      <path d="M6.3 6.3a1.8 1.8 0 1 1 2.4 1.7c-.5.2-.7.5-.7 1v.5M8 11.3v.2" stroke="#fff" strokeWidth="1.5" strokeLinecap="round" fill="none" />
    </>
  ),
};

export function TypeIcon({ type, size = 14 }: { type: ModelType; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false" className="type-icon">
      {SHAPES[type]}
    </svg>
  );
}

/** A stored model type (label with emoji, or key) as icon and translated label. */
export function TypeLabel({ value }: { value: string | null | undefined }) {
  const { t } = useI18n();
  const type = cleanModelType(value);
  if (!type) return <>{value || '–'}</>;
  return (
    <span className="type-cell">
      <TypeIcon type={type} /> {t(TYPE_LABEL_KEY[type])}
    </span>
  );
}
