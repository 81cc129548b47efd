/** The type key of a `model_type` as requests store it (`💬 chat models (RLHF, DPO, IFT, ...)`, `chat`, …). */
import { MODEL_TYPES, type ModelType } from './types.js';

const BY_EMOJI: [string, ModelType][] = [
  ['🟢', 'pretrained'],
  ['🟩', 'continuously pretrained'],
  ['🔶', 'fine-tuned'],
  ['💬', 'chat'],
  ['🤝', 'merge'],
  ['🌸', 'multimodal'],
  ['❓', 'other'],
];

export function cleanModelType(value: string | null | undefined): ModelType | null {
  if (!value) return null;
  const text = value.trim().toLowerCase();
  if ((MODEL_TYPES as readonly string[]).includes(text)) return text as ModelType;
  for (const [emoji, key] of BY_EMOJI) if (text.startsWith(emoji)) return key;
  if (text.includes('continuously')) return 'continuously pretrained';
  if (text.includes('pretrained') || text.includes('pre-trained')) return 'pretrained';
  if (/fine[- ]?tuned|finetuned/.test(text)) return 'fine-tuned';
  if (text.includes('chat') || text.includes('instruction') || text.includes('rlhf')) return 'chat';
  if (text.includes('merge')) return 'merge';
  if (text.includes('multimodal')) return 'multimodal';
  return null;
}
