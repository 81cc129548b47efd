/**
 * Model types: the clean keys of the API and the submission form, and the labels with emoji
 * that the original wrote in the contents `Type` column.
 */

export const MODEL_TYPE_KEYS = [
  'pretrained',
  'continuously pretrained',
  'fine-tuned',
  'chat',
  'merge',
  'multimodal',
  'other',
] as const;
export type ModelTypeKey = (typeof MODEL_TYPE_KEYS)[number];

/** The labels (with emoji) the original wrote in the `Type` column, per clean key. */
export const MODEL_TYPE_LABELS: Readonly<Record<ModelTypeKey, string>> = {
  pretrained: '🟢 pretrained',
  'continuously pretrained': '🟩 continuously pretrained',
  'fine-tuned': '🔶 fine-tuned on domain-specific datasets',
  chat: '💬 chat models (RLHF, DPO, IFT, ...)',
  merge: '🤝 base merges and moerges',
  multimodal: '🌸 multimodal',
  other: '❓ other',
};

const TYPE_BY_EMOJI: ReadonlyArray<[string, ModelTypeKey]> = [
  ['🟢', 'pretrained'],
  ['🟩', 'continuously pretrained'],
  ['🔶', 'fine-tuned'],
  ['💬', 'chat'],
  ['🤝', 'merge'],
  ['🌸', 'multimodal'],
  ['❓', 'other'],
];

/**
 * The clean type key of a `Type` value: `💬 chat models (RLHF, DPO, IFT, ...)` → `chat`.
 * Accepts the labels, the keys themselves, and the original form's values.
 */
export function cleanModelType(value: unknown): ModelTypeKey {
  if (typeof value !== 'string') return 'other';
  const text = value.trim().toLowerCase();
  for (const [emoji, key] of TYPE_BY_EMOJI) if (text.startsWith(emoji)) return key;
  if (text.includes('continuously')) return 'continuously pretrained';
  if (text.includes('pretrained') || text.includes('pre-trained')) return 'pretrained';
  if (/fine[- ]?tuned|finetuned/.test(text)) return 'fine-tuned';
  if (text.includes('chat') || text.includes('instruction') || text.includes('rlhf')) return 'chat';
  if (text.includes('merge')) return 'merge';
  if (text.includes('multimodal')) return 'multimodal';
  return 'other';
}
